import KioskBridgeCore
import KioskBridgeStore

/// Books the records of one accepted file, one by one, by the rules of kiosk-file.md:
/// valid records are booked, invalid ones rejected with their line and reason, resent
/// ones ignored, conflicting ones rejected, voids matched to their payments.
struct RecordJudge {
    let session: any IntakeSession
    let kioskID: KioskID
    let location: String
    let fileID: RowID
    let claimTypes: ClaimTypeMapping
    let limits: IdentifierLimits
    /// `[intake]` for this file: its records' times against its `created at`, and amounts.
    let plausibility: FilePlausibility
    let at: Instant

    private(set) var tally = FileTally()
    /// The first ``problemsKept`` refused records' reasons; all of them are in the store.
    private(set) var problems: [String] = []
    /// However many records a file refuses, memory, output and the notes file hold this many reasons.
    static let problemsKept = 1000
    /// D amounts minus V amounts, as the trailer states them.
    private(set) var signedSum = Amount.zero

    init(session: any IntakeSession, kioskID: KioskID, location: String, fileID: RowID, claimTypes: ClaimTypeMapping,
         limits: IdentifierLimits, plausibility: FilePlausibility, at: Instant) {
        self.session = session
        self.kioskID = kioskID
        self.location = location
        self.fileID = fileID
        self.claimTypes = claimTypes
        self.limits = limits
        self.plausibility = plausibility
        self.at = at
    }

    mutating func take(_ entry: KioskFileEntry) throws {
        tally.records += 1
        if tally.records == 2 { CrashPoint.midBooking.reach() }
        switch entry {
        case .payment(let fields, let place):
            signedSum += fields.amount
            switch fields.validated(claimTypes: claimTypes, limits: limits, line: place.line, column: place.column, xml: place.xml) {
            case .failure(let problem):
                try reject(RecordSummary(fields), problem)
            case .success(let payment):
                if let problem = plausibility.check(payment, line: place.line, column: place.column, xml: place.xml) {
                    try reject(RecordSummary(fields), problem)
                    return
                }
                let existing = try session.bookedTransaction(kioskID: kioskID, transactionID: payment.transactionID)
                switch TransactionRules.judge(payment, line: place.line, column: place.column, xml: place.xml, existing: existing) {
                case .book:
                    let debtorCode = claimTypes.debtorCode(for: payment.claimType) ?? payment.claimType
                    _ = try session.bookPayment(payment, debtorClaimType: debtorCode, kioskID: kioskID, location: location,
                                                fileID: fileID, line: place.line, at: at)
                    tally.paymentsBooked += 1
                    tally.paymentsSum += payment.amount
                case .duplicate:
                    try session.noteDuplicateRecord(kioskID: kioskID, transactionID: payment.transactionID, fileID: fileID,
                                                    line: place.line, at: at)
                    tally.recordsDuplicate += 1
                case .reject(let problem):
                    try reject(RecordSummary(fields), problem)
                }
            }
        case .void(let fields, let place):
            signedSum -= fields.amount
            switch fields.validated(line: place.line, column: place.column, xml: place.xml) {
            case .failure(let problem):
                try reject(RecordSummary(fields), problem)
            case .success(let void):
                if let problem = plausibility.check(void, line: place.line, column: place.column, xml: place.xml) {
                    try reject(RecordSummary(fields), problem)
                    return
                }
                let existing = try session.bookedTransaction(kioskID: kioskID, transactionID: void.voidID)
                let target = try session.voidTarget(kioskID: kioskID, transactionID: void.voidsTransactionID)
                switch TransactionRules.judge(void, line: place.line, column: place.column, xml: place.xml,
                                              existing: existing, target: target?.target) {
                case let verdict where verdict == .cancelPayment || verdict == .reversePayment:
                    guard let payment = target?.payment else { return }
                    try session.bookVoid(void, kioskID: kioskID, payment: payment,
                                         effect: verdict == .reversePayment ? .reversal : .cancel,
                                         fileID: fileID, line: place.line, at: at)
                    tally.voidsBooked += 1
                case .duplicate:
                    try session.noteDuplicateRecord(kioskID: kioskID, transactionID: void.voidID, fileID: fileID,
                                                    line: place.line, at: at)
                    tally.recordsDuplicate += 1
                case .reject(let problem):
                    try reject(RecordSummary(fields), problem)
                default:
                    break
                }
            }
        case .unusable(let problem, let summary):
            signedSum += summary.recordType == .void ? -(summary.amount ?? .zero) : (summary.amount ?? .zero)
            try reject(summary, problem)
        }
    }

    private mutating func reject(_ summary: RecordSummary, _ problem: IntakeProblem) throws {
        try session.recordRejectedRecord(summary.bounded, problem: problem, kioskID: kioskID.value, fileID: fileID, wholeFile: false, at: at)
        tally.recordsRejected += 1
        if summary.recordType == .payment, let amount = summary.amount { tally.rejectedSum += amount }
        if problems.count < Self.problemsKept { problems.append(problem.description) }
    }
}
