public import KioskBridgeCore

/// A reader of one kiosk file, either format: first the header, then the records one by
/// one, and at the end the trailer check.
///
/// ``next()`` returns nil only after the trailer has been found last and matches; any
/// whole-file problem (bad header, missing or wrong trailer, an amount that cannot be
/// read) is thrown as an ``IntakeProblem`` with `line > 0` or as a ``FileAccessError``.
/// Records handed out before such a throw must be discarded by the caller.
public protocol KioskFileReading: AnyObject {
    func readHeader() throws -> KioskFileHeader
    func next() throws -> KioskFileEntry?
}

/// Reads the record-typed CSV kiosk format of kiosk-file.md.
public final class KioskCSVReader: KioskFileReading {
    private let records: DelimitedRecordReader
    private var tally = TrailerTally()
    private var finished = false

    public init(source: ByteSource, encoding: TextEncoding) {
        records = DelimitedRecordReader(source: source, encoding: encoding)
    }

    private func nextRecord() throws -> DelimitedRecord? {
        do {
            return try records.next()
        } catch let problem as DelimitedTextProblem {
            throw IntakeProblem(problem.intakeCode, line: problem.line, expected: problem.message)
        }
    }

    /// The record's first field with text after its closing quote, as a refusal of `code`.
    private func malformed(_ record: DelimitedRecord, _ code: IntakeProblem.Code) -> IntakeProblem? {
        guard let field = record.malformed else { return nil }
        return IntakeProblem(code, line: record.line, field: RecordField.kioskFile(recordType: record.fields[0], position: field.position),
                             found: field.text, expected: MalformedField.expectation)
    }

    public func readHeader() throws -> KioskFileHeader {
        guard let record = try nextRecord() else {
            throw IntakeProblem(.emptyFile, line: 0, expected: "a header record (H) first; the file holds no records")
        }
        let fields = record.fields
        if let problem = malformed(record, fields[0] == "H" ? .badHeader : .missingHeader) { throw problem }
        guard fields[0] == "H" else {
            throw IntakeProblem(.missingHeader, line: record.line, field: RecordField.Header.recordType, found: fields[0],
                                expected: "the header record H as the first record")
        }
        guard fields.count == RecordField.Header.count else {
            throw IntakeProblem(.badHeader, line: record.line, found: "\(fields.count) fields",
                                expected: "\(RecordField.Header.count) fields: H;version;kiosk id;location;sequence;created at")
        }
        return try KioskFileHeader(version: fields[1], kioskID: fields[2], location: fields[3], sequence: fields[4],
                                   createdAt: fields[5], line: record.line)
    }

    public func next() throws -> KioskFileEntry? {
        guard !finished else { return nil }
        guard let record = try nextRecord() else {
            throw IntakeProblem(.missingTrailer, line: 0, expected: "a trailer record (T) as the last record; the file ends without one")
        }
        let fields = record.fields
        if record.malformed?.position == 1, let problem = malformed(record, .unknownRecordType) { throw problem }
        switch fields[0] {
        case "D": return try payment(record)
        case "V": return try void(record)
        case "T":
            if let problem = malformed(record, .trailerMismatch) { throw problem }
            try checkTrailer(record)
            if let extra = try nextRecord() {
                throw IntakeProblem(.misplacedRecord, line: extra.line, field: RecordField.Header.recordType, found: extra.fields[0],
                                    expected: "nothing after the trailer record T")
            }
            finished = true
            return nil
        case "H":
            throw IntakeProblem(.misplacedRecord, line: record.line, field: RecordField.Header.recordType, found: "H",
                                expected: "exactly one header record, the first")
        default:
            throw IntakeProblem(.unknownRecordType, line: record.line, field: RecordField.Header.recordType,
                                found: fields[0], expected: "a record type H, D, V or T")
        }
    }

    /// Reads the amount at `field`; a file with an amount that cannot be read cannot be
    /// accounted for and is rejected as a whole.
    private func amount(_ record: DelimitedRecord, _ field: RecordField) throws(IntakeProblem) -> Amount {
        guard record.fields.count >= field.position else {
            throw IntakeProblem(.unreadableAmount, line: record.line, field: field, found: "\(record.fields.count) fields",
                                expected: "a record long enough to hold its amount, so that the trailer can be checked")
        }
        if record.malformed?.position == field.position, let problem = malformed(record, .unreadableAmount) {
            throw IntakeProblem(problem.code, line: problem.line, field: field, found: record.malformed?.text,
                                expected: problem.expected + " (the trailer cannot be checked otherwise)")
        }
        let text = record.fields[field.position - 1]
        switch AmountText.parse(text[...], decimalSeparator: UInt8(ascii: ",")) {
        case .success(let amount): return amount
        case .failure:
            throw IntakeProblem(.unreadableAmount, line: record.line, field: field, found: text,
                                expected: AmountText.expectation(decimalSeparator: ",") + " (the trailer cannot be checked otherwise)")
        }
    }

    private func payment(_ record: DelimitedRecord) throws -> KioskFileEntry {
        typealias F = RecordField.Payment
        let value = try amount(record, F.amount)
        try tally.countPayment(value, line: record.line)
        let f = record.fields
        func field(_ position: Int) -> String { position <= f.count ? f[position - 1] : "" }
        let fields = PaymentFields(transactionID: field(2), paidAt: field(3), payer: field(4), claimType: field(5),
                                   amount: value, tender: field(7), receipt: field(8),
                                   operatorID: f.count >= 9 ? f[8] : nil)
        if let problem = malformed(record, .malformedField) { return .unusable(problem, RecordSummary(fields)) }
        guard f.count == F.count || f.count == F.count - 1 else {
            return .unusable(IntakeProblem(.fieldCount, line: record.line, found: "\(f.count) fields",
                                           expected: "\(F.count) fields: D;transaction id;paid at;payer;claim type;amount;tender;receipt;operator"),
                             RecordSummary(fields))
        }
        return .payment(fields, RecordLocation(line: record.line))
    }

    private func void(_ record: DelimitedRecord) throws -> KioskFileEntry {
        typealias F = RecordField.Void
        let value = try amount(record, F.amount)
        try tally.countVoid(value, line: record.line)
        let f = record.fields
        let fields = VoidFields(voidID: f[1], voidedAt: f[2], voidsTransactionID: f[3], amount: value,
                                reason: f.count >= 6 ? f[5] : nil)
        if let problem = malformed(record, .malformedField) { return .unusable(problem, RecordSummary(fields)) }
        guard f.count == F.count || f.count == F.count - 1 else {
            return .unusable(IntakeProblem(.fieldCount, line: record.line, found: "\(f.count) fields",
                                           expected: "\(F.count) fields: V;void id;voided at;voided transaction id;amount;reason"),
                             RecordSummary(fields))
        }
        return .void(fields, RecordLocation(line: record.line))
    }

    private func checkTrailer(_ record: DelimitedRecord) throws {
        typealias F = RecordField.Trailer
        guard record.fields.count == F.fieldCount else {
            throw IntakeProblem(.trailerMismatch, line: record.line, found: "\(record.fields.count) fields",
                                expected: "\(F.fieldCount) fields: T;count;sum")
        }
        let sumText = record.fields[2]
        guard case .success(let sum) = AmountText.parse(sumText[...], decimalSeparator: UInt8(ascii: ",")) else {
            throw IntakeProblem(.trailerMismatch, line: record.line, field: F.sum, found: sumText,
                                expected: AmountText.expectation(decimalSeparator: ","))
        }
        try tally.check(countText: record.fields[1], sum: sum, line: record.line, decimalSeparator: ",")
    }
}
