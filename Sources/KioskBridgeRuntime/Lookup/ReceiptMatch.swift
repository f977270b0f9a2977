public import KioskBridgeCore
public import KioskBridgeStore

/// Everything the bridge can say about one payment (or one refused record): the answer
/// to "I paid at the kiosk, why am I still blocked?".
public struct ReceiptMatch: Sendable {
    public enum Status: String, Sendable {
        /// Booked, waiting for its cycle.
        case received
        case exported
        case voided
        case rejected
    }

    /// Where an export file put the payment.
    public struct ExportReference: Sendable, Hashable {
        public let profile: String
        public let series: String
        public let file: String
        public let sequence: Int
        public let at: Instant
    }

    /// What the store calls it (`payment` or `record`) and its row: the desk's access log
    /// names the subject it showed.
    public var subject: String = "payment"
    public var rowID: RowID = 0
    public var transactionID: String?
    public var kioskID: String?
    public var location: String?
    public var receipt: String?
    public var paidAt: Instant?
    public var paidAtText: String?
    /// Masked for a CPR number, whole for a CVR number.
    public var payer: String?
    public var payerDigits: String?
    public var payerIsPerson: Bool
    public var claimType: String?
    public var amount: Amount?
    public var tender: String?
    public var operatorID: String?
    public var status: Status
    public var reason: String?
    public var reasonCode: String?
    public var sourceFile: String?
    public var line: Int?
    public var fileReceivedAt: Instant?
    public var bookedAt: Instant?
    public var allocations: [StoredPart] = []
    public var export: ExportReference?
    public var worklist: ExportReference?
    public var reversalExport: ExportReference?
    public var expectedInFBS: Instant?
    /// The DEBTOR snapshot that first reflected the export, and the reversal's.
    public var debtorConfirmation: DebtorConfirmation?
    public var reversalConfirmation: DebtorConfirmation?
    public var fbsOnlyClaims: [Claim] = []
    public var void: VoidView?
    public var trail: [TrailEntry] = []
}
