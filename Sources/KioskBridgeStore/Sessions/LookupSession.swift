public import KioskBridgeCore

/// What the desk and `receipt` need to tell a payment's story.
///
/// A search returns at most ``LookupLimits/matches`` payments and as many refused records,
/// oldest first; a payer with more sees the oldest ones (the desk says the list was cut).
public protocol LookupSession: AnyObject {
    /// Payments whose receipt number or transaction id is `text` (a void's id finds the
    /// payment it voided), or whose payer is `payerDigits`.
    func payments(receiptOrTransaction text: String, payerDigits: String?) async throws -> [PaymentView]
    /// Refused records whose receipt number or transaction id is `text`, or whose payer
    /// field has the digits `payerDigits`.
    func rejectedRecords(receiptOrTransaction text: String, payerDigits: String?) async throws -> [RejectedRecordView]
    /// The payment's parts: its allocation in order, then its reversal's parts.
    func parts(ofPayment payment: RowID) async throws -> [StoredPart]
    /// The first batch (prepared or published) that carries the part.
    func firstBatch(carrying part: StoredPart) async throws -> StoredBatch?
    /// Which DEBTOR snapshots confirmed the payment's export and its reversal's.
    func confirmations(ofPayment payment: RowID) async throws -> PaymentConfirmations
    /// The payer's open claims payable in `payableIn`, oldest first.
    func openClaims(payerDigits: String, payableIn: PaymentChannel) async throws -> [Claim]
    /// The payer's claims as the next cycle sees them, each with the bridge's parts on it
    /// (a claim id listed by both sources is the debtor's): the till's preview allocates
    /// over them, as the cycle will.
    func claimEvidence(payerDigits: String) async throws -> [ClaimEvidence]
    /// The loaded claims snapshots.
    func snapshots() async throws -> [StoredSnapshot]
    /// The subject's history: its own trail rows and the rows that speak for it as one of
    /// many (its file's booking, its cycle's allocation, the batches that carried it).
    func trail(subject: String, id: RowID) async throws -> [TrailEntry]
}

/// The limits every backend keeps to.
public enum LookupLimits {
    /// Payments (and, separately, refused records) returned by one search.
    public static let matches = 500
}
