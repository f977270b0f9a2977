public import KioskBridgeCore

/// A DEBTOR snapshot's word that the debtor system has booked what the bridge exported: the
/// first snapshot that reflected an export (allocation.md's rule: its `P` records list the
/// payment or void; without `P` records, the export was made before its as-of time).
public struct DebtorConfirmation: Sendable, Hashable {
    /// The moment the snapshot reflects: the debtor system had booked the export by then.
    public let asOf: Instant
    /// When the bridge loaded the snapshot.
    public let loadedAt: Instant
    public let snapshotFile: String

    public init(asOf: Instant, loadedAt: Instant, snapshotFile: String) {
        self.asOf = asOf
        self.loadedAt = loadedAt
        self.snapshotFile = snapshotFile
    }
}

/// A payment's confirmations: of its export, and of its reversal's.
public struct PaymentConfirmations: Sendable, Hashable {
    public let payment: DebtorConfirmation?
    public let reversal: DebtorConfirmation?

    public init(payment: DebtorConfirmation?, reversal: DebtorConfirmation?) {
        self.payment = payment
        self.reversal = reversal
    }
}

/// What one DEBTOR snapshot confirmed that no snapshot had confirmed before.
public struct ConfirmationTally: Sendable, Hashable {
    public var payments: Int
    public var reversals: Int
    /// Payments less reversals, as exported to the debtor system.
    public var sum: Amount

    public init(payments: Int = 0, reversals: Int = 0, sum: Amount = .zero) {
        self.payments = payments
        self.reversals = reversals
        self.sum = sum
    }
}

/// A payment (or a void's reversal) exported to the debtor system that no snapshot has
/// confirmed yet.
public struct UnconfirmedExport: Sendable, Hashable {
    public let isReversal: Bool
    public let kioskID: String
    /// The payment's transaction id, or the void's id.
    public let transactionID: String
    public let receipt: String
    /// When the payment was made, or the void.
    public let takenAt: Instant
    public let exportedAt: Instant
    /// As exported: a reversal is negative.
    public let amount: Amount

    public init(isReversal: Bool, kioskID: String, transactionID: String, receipt: String, takenAt: Instant, exportedAt: Instant,
                amount: Amount) {
        self.isReversal = isReversal
        self.kioskID = kioskID
        self.transactionID = transactionID
        self.receipt = receipt
        self.takenAt = takenAt
        self.exportedAt = exportedAt
        self.amount = amount
    }
}

/// One kiosk's exports to the debtor system of payments and voids taken in a period, and
/// how much of that a snapshot has confirmed.
public struct ConfirmedShare: Sendable, Hashable {
    public let kioskID: String
    public let exportedCount: Int
    public let exported: Amount
    public let confirmedCount: Int
    public let confirmed: Amount

    public init(kioskID: String, exportedCount: Int, exported: Amount, confirmedCount: Int, confirmed: Amount) {
        self.kioskID = kioskID
        self.exportedCount = exportedCount
        self.exported = exported
        self.confirmedCount = confirmedCount
        self.confirmed = confirmed
    }
}

/// The exports made before a moment that no snapshot has confirmed: how many, their sum,
/// and the oldest.
public struct OverdueConfirmations: Sendable, Hashable {
    public let count: Int
    public let sum: Amount
    public let oldest: UnconfirmedExport?

    public init(count: Int, sum: Amount, oldest: UnconfirmedExport?) {
        self.count = count
        self.sum = sum
        self.oldest = oldest
    }

    public static let none = OverdueConfirmations(count: 0, sum: .zero, oldest: nil)
}
