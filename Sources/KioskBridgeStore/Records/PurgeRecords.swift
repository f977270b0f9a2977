/// What pseudonymisation changed.
public struct PurgeResult: Sendable, Hashable {
    public var payments = 0
    public var rejectedRecords = 0
    /// Payments and voids taken at a desk till (their own rows, beside the booked payments).
    public var tillRecords = 0

    public init(payments: Int = 0, rejectedRecords: Int = 0, tillRecords: Int = 0) {
        self.payments = payments
        self.rejectedRecords = rejectedRecords
        self.tillRecords = tillRecords
    }
}

/// Where personal data of old payments sits on disk.
public struct PurgeableFiles: Sendable, Hashable {
    /// Archived kiosk files and rejected files received before the cutoff.
    public var kioskFiles: [String] = []
    /// Archive copies of export files created before the cutoff.
    public var exportCopies: [String] = []

    public init() {}
}

/// What every backend keeps to when pseudonymising.
public enum PurgeRules {
    /// Values that have already been pseudonymised start with this; they are never hashed twice.
    public static let pseudonymPrefix = "P:"
}
