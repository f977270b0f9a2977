public import KioskBridgeCore

/// One record of a claims snapshot after the header.
public enum SnapshotEntry: Sendable {
    case claim(Claim, line: Int)
    case applied(AppliedTransaction, line: Int)
}

/// Reads an open-claims snapshot (claims-snapshot.md), a record at a time.
///
/// A snapshot is all or nothing: the first invalid record, or a trailer that does not
/// match, is thrown as an ``IntakeProblem`` and the caller keeps what it had loaded.
public final class ClaimsSnapshotReader {
    private let records: DelimitedRecordReader
    private var header: ClaimsSnapshotHeader?
    private var claimCount = 0
    private var outstandingSum = Amount.zero
    private var finished = false

    public init(source: ByteSource, encoding: TextEncoding) {
        records = DelimitedRecordReader(source: source, encoding: encoding)
    }

    /// The next record; a record with text after a closing quote refuses the snapshot.
    private func nextRecord() throws -> DelimitedRecord? {
        let record: DelimitedRecord?
        do { record = try records.next() } catch let problem as DelimitedTextProblem {
            throw IntakeProblem(problem.intakeCode, line: problem.line, expected: problem.message)
        }
        if let record, let field = record.malformed {
            throw IntakeProblem(.malformedField, line: record.line,
                                field: RecordField.Snapshot.field(recordType: record.fields[0], position: field.position),
                                found: field.text, expected: MalformedField.expectation)
        }
        return record
    }

    public func readHeader() throws -> ClaimsSnapshotHeader {
        typealias F = RecordField.Snapshot
        guard let record = try nextRecord() else {
            throw IntakeProblem(.emptyFile, line: 0, expected: "a header record (H) first; the file holds no records")
        }
        let f = record.fields
        guard f[0] == "H" else {
            throw IntakeProblem(.missingHeader, line: record.line, field: RecordField.Header.recordType, found: f[0],
                                expected: "the header record H as the first record")
        }
        guard f.count == 4 else {
            throw IntakeProblem(.badHeader, line: record.line, found: "\(f.count) fields", expected: "4 fields: H;1;source;as of")
        }
        guard f[1] == "1" else {
            throw IntakeProblem(.badHeader, line: record.line, field: F.formatVersion, found: f[1], expected: "format version 1")
        }
        guard let source = ClaimSource(rawValue: f[2]) else {
            throw IntakeProblem(.badHeader, line: record.line, field: F.source, found: f[2], expected: "DEBTOR or FBS")
        }
        switch Timestamp.parse(f[3]) {
        case .success(let asOf):
            let header = ClaimsSnapshotHeader(source: source, asOf: asOf)
            self.header = header
            return header
        case .failure(let reason):
            throw IntakeProblem(.badHeader, line: record.line, field: F.asOf, found: f[3], expected: Timestamp.expectation + " (\(reason))")
        }
    }

    public func next() throws -> SnapshotEntry? {
        guard !finished, let header else { return nil }
        guard let record = try nextRecord() else {
            throw IntakeProblem(.missingTrailer, line: 0, expected: "a trailer record (T) as the last record; the file ends without one")
        }
        switch record.fields[0] {
        case "C":
            let claim = try Self.claim(record, source: header.source)
            claimCount += 1
            guard let sum = outstandingSum.adding(claim.outstanding) else {
                throw IntakeProblem(.unreadableAmount, line: record.line, expected: "outstanding amounts whose sum fits 64 bits")
            }
            outstandingSum = sum
            return .claim(claim, line: record.line)
        case "P":
            typealias F = RecordField.Snapshot
            let f = record.fields
            guard f.count == 3 else {
                throw IntakeProblem(.fieldCount, line: record.line, found: "\(f.count) fields", expected: "3 fields: P;kiosk id;transaction id")
            }
            guard let kiosk = KioskID(f[1]) else {
                throw IntakeProblem(.invalidValue, line: record.line, field: F.appliedKiosk, found: f[1], expected: KioskID.expectation)
            }
            if let issue = Identifier.problem(f[2]) {
                throw IntakeProblem(.invalidValue, line: record.line, field: F.appliedTransaction, found: f[2], expected: issue)
            }
            return .applied(AppliedTransaction(kioskID: kiosk, transactionID: f[2]), line: record.line)
        case "T":
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
                                found: record.fields[0], expected: "a record type H, C, P or T")
        }
    }

    static func claim(_ record: DelimitedRecord, source: ClaimSource) throws(IntakeProblem) -> Claim {
        typealias F = RecordField.Snapshot
        let f = record.fields
        let line = record.line
        guard f.count == 9 else {
            throw IntakeProblem(.fieldCount, line: line, found: "\(f.count) fields",
                                expected: "9 fields: C;claim id;payer;claim type;created on;due on;original amount;outstanding amount;payable in")
        }
        if let issue = Identifier.problem(f[1]) {
            throw IntakeProblem(.invalidValue, line: line, field: F.claimID, found: f[1], expected: issue)
        }
        let payer: Payer
        do { payer = try Payer(parsing: f[2]) } catch {
            throw IntakeProblem(.invalidValue, line: line, field: F.payer, found: PersonalDataRedaction.safeEcho(f[2]),
                                expected: Payer.expectation + " (\(error))")
        }
        if let issue = Identifier.problem(f[3]) {
            throw IntakeProblem(.invalidValue, line: line, field: F.claimType, found: f[3], expected: issue)
        }
        guard let createdOn = LocalDate(iso: f[4]) else {
            throw IntakeProblem(.invalidValue, line: line, field: F.createdOn, found: f[4], expected: "a date YYYY-MM-DD")
        }
        var dueOn: LocalDate?
        if !f[5].isEmpty {
            guard let date = LocalDate(iso: f[5]) else {
                throw IntakeProblem(.invalidValue, line: line, field: F.dueOn, found: f[5], expected: "a date YYYY-MM-DD, or nothing")
            }
            dueOn = date
        }
        func amount(_ index: Int, _ field: RecordField) throws(IntakeProblem) -> Amount {
            guard case .success(let value) = AmountText.parse(f[index][...], decimalSeparator: UInt8(ascii: ",")) else {
                throw IntakeProblem(.unreadableAmount, line: line, field: field, found: f[index],
                                    expected: AmountText.expectation(decimalSeparator: ","))
            }
            guard value >= .zero else {
                throw IntakeProblem(.invalidValue, line: line, field: field, found: f[index], expected: "an amount of zero or more")
            }
            return value
        }
        let original = try amount(6, F.originalAmount)
        let outstanding = try amount(7, F.outstanding)
        guard let payableIn = PaymentChannel(rawValue: f[8]) else {
            throw IntakeProblem(.invalidValue, line: line, field: F.payableIn, found: f[8], expected: "DEBTOR or FBS")
        }
        return Claim(id: f[1], payer: payer, claimType: f[3], createdOn: createdOn, dueOn: dueOn, originalAmount: original,
                     outstanding: outstanding, payableIn: payableIn, source: source)
    }

    private func checkTrailer(_ record: DelimitedRecord) throws {
        typealias F = RecordField.Snapshot
        let f = record.fields
        guard f.count == 3 else {
            throw IntakeProblem(.trailerMismatch, line: record.line, found: "\(f.count) fields", expected: "3 fields: T;count;sum")
        }
        guard let count = Int(f[1]), count >= 0, f[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw IntakeProblem(.trailerMismatch, line: record.line, field: F.trailerCount, found: f[1], expected: "a whole number")
        }
        guard count == claimCount else {
            throw IntakeProblem(.trailerMismatch, line: record.line, field: F.trailerCount, found: f[1],
                                expected: "\(claimCount) (the number of C records in the file)")
        }
        guard case .success(let sum) = AmountText.parse(f[2][...], decimalSeparator: UInt8(ascii: ",")) else {
            throw IntakeProblem(.trailerMismatch, line: record.line, field: F.trailerSum, found: f[2],
                                expected: AmountText.expectation(decimalSeparator: ","))
        }
        guard sum == outstandingSum else {
            throw IntakeProblem(.trailerMismatch, line: record.line, field: F.trailerSum, found: f[2],
                                expected: "\(outstandingSum) (the sum of the outstanding amounts of the C records)")
        }
    }
}
