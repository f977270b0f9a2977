/// One line of a debtor import file (or of an FBS worklist): one allocated part of one
/// payment, or one reversed part.
public struct ExportLine: Hashable, Sendable {
    public let kind: AllocationPart.Kind
    public let transactionID: String
    public let kioskID: String
    public let receipt: String
    public let paidAt: Instant
    /// CPR or CVR digits, no hyphen: the debtor needs the whole number.
    public let payerDigits: String
    public let payerIsCompany: Bool
    /// The debtor system's claim type code (mapped from the kiosk's).
    public let debtorClaimType: String
    public let claimID: String?
    /// Negative for a reversal.
    public let amount: Amount

    public init(kind: AllocationPart.Kind, transactionID: String, kioskID: String, receipt: String, paidAt: Instant,
                payerDigits: String, payerIsCompany: Bool, debtorClaimType: String, claimID: String?, amount: Amount) {
        self.kind = kind
        self.transactionID = transactionID
        self.kioskID = kioskID
        self.receipt = receipt
        self.paidAt = paidAt
        self.payerDigits = payerDigits
        self.payerIsCompany = payerIsCompany
        self.debtorClaimType = debtorClaimType
        self.claimID = claimID
        self.amount = amount
    }
}

/// What an export file says about itself in its header and trailer: which batch, which
/// number in its series, and the count and sum the debtor checks it against.
public struct ExportBatchInfo: Hashable, Sendable {
    public let batchID: String
    public let sequence: Int
    public let createdAt: Instant
    public let lineCount: Int
    public let sum: Amount
    /// The profile's name, for formats that carry it (camt.054 `Ntfctn/Id`).
    public let profile: String
    /// The batch's entries by direction, for layouts that state them before the first
    /// entry (camt.054); counted from the lines before rendering, nil until then.
    public var entryTotals: ExportEntryTotals?

    public init(batchID: String, sequence: Int, createdAt: Instant, lineCount: Int, sum: Amount, profile: String) {
        self.batchID = batchID
        self.sequence = sequence
        self.createdAt = createdAt
        self.lineCount = lineCount
        self.sum = sum
        self.profile = profile
    }
}

/// Export file names: `<prefix>_<YYYYMMDD>_<sequence, 6 digits>.<extension>`, the date
/// being the cycle's local date in Copenhagen.
public enum ExportFileName {
    public static func make(prefix: String, createdAt: Instant, sequence: Int, fileExtension: String) -> String {
        let date = CopenhagenTime.localDate(at: createdAt)
        return "\(prefix)_\(date.compact)_\(LocalDate.pad(sequence, 6)).\(fileExtension)"
    }

    /// The batch id written inside the file: the file name without its extension.
    public static func batchID(prefix: String, createdAt: Instant, sequence: Int) -> String {
        let date = CopenhagenTime.localDate(at: createdAt)
        return "\(prefix)_\(date.compact)_\(LocalDate.pad(sequence, 6))"
    }
}
