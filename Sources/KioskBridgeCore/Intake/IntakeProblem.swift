/// Why a kiosk file, or one record in it, was refused.
///
/// A problem always says where (line, and column where the format knows it), which field,
/// what was found and what was expected, in plain words: the operator who opens
/// `rejected/<name>.reason.txt` and the librarian at the desk both read it. `found` never
/// holds a whole CPR number, nor more than ``BoundedText/limit`` characters of what the
/// file held: a longer value is cut, and the message says how long it was.
public struct IntakeProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable name for the kind of problem: tests, reports and translations key on it.
    public enum Code: String, Sendable, CaseIterable {
        // whole-file problems
        case emptyFile = "file.empty"
        case notAKioskFile = "file.unknown-type"
        case missingHeader = "file.header.missing"
        case badHeader = "file.header.invalid"
        case missingTrailer = "file.trailer.missing"
        case trailerMismatch = "file.trailer.mismatch"
        case unreadableAmount = "file.amount.unreadable"
        case unknownRecordType = "file.record-type.unknown"
        case misplacedRecord = "file.record.misplaced"
        case doctype = "file.xml.doctype"
        case malformedXML = "file.xml.malformed"
        case schemaViolation = "file.xml.schema"
        case sequenceConflict = "file.sequence.conflict"
        case unreadableFile = "file.unreadable"
        case lineTooLong = "file.line.too-long"
        case implausibleCreatedAt = "file.created-at.implausible"
        // record problems
        case fieldCount = "record.field-count"
        case missingValue = "record.missing"
        case invalidValue = "record.invalid"
        case malformedField = "record.field.malformed"
        case implausibleTime = "record.time.implausible"
        case implausibleAmount = "record.amount.implausible"
        case amountNotPositive = "record.amount.not-positive"
        case unmappedClaimType = "record.claim-type.unmapped"
        case conflict = "record.conflict"
        case unknownPayment = "record.void.unknown-payment"
        case alreadyVoided = "record.void.already-voided"
        case voidAmountMismatch = "record.void.amount-mismatch"
    }

    public var code: Code
    /// 1-based line in the file; 0 when the problem concerns the file as a whole.
    public var line: Int
    public var column: Int?
    public var field: RecordField?
    /// What was found, safe to show: bounded, CPR numbers masked (see ``BoundedText``).
    public var found: String? { foundValue?.shown }
    /// What was found, with its whole length.
    public var foundValue: BoundedText?
    public var expected: String
    /// Set when the reader knows it is in an XML file, so fields are named as attributes.
    public var xml: Bool

    public init(_ code: Code, line: Int, column: Int? = nil, field: RecordField? = nil,
                found: String? = nil, expected: String, xml: Bool = false) {
        self.code = code
        self.line = line
        self.column = column
        self.field = field
        self.foundValue = found.map { BoundedText($0) }
        self.expected = PersonalDataRedaction.redactCPRs(in: expected)
        self.xml = xml
    }

    /// `line 4` / `line 4, column 7`, then the field.
    public var whereText: String {
        var parts: [String] = []
        if line > 0 { parts.append("line \(line)") }
        if let column { parts.append("column \(column)") }
        if let field {
            if xml, let attribute = field.xmlName {
                parts.append("attribute \(attribute) (\(field.name))")
            } else if xml {
                parts.append(field.name)
            } else {
                parts.append("field \(field.position) (\(field.name))")
            }
        }
        return parts.joined(separator: ", ")
    }

    /// One sentence: where, what was found, what was expected.
    public var description: String {
        let place = whereText
        var text = place.isEmpty ? "" : place + ": "
        if let found = foundValue {
            text += "found \(found.length == 0 ? "nothing" : found.quoted), expected \(expected)"
        } else {
            text += expected
        }
        return text
    }
}
