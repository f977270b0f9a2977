/// A payment of whole fees to register in FBS (`payment/v2`).
///
/// The orderId is the idempotency key: FBS answers a repeat of the same orderId and fee
/// with the same confirmation, so a call repeated after a timeout or a crash never pays a
/// fee twice. The caller derives it from its own identity of the payment and keeps it.
public struct FBSPaymentOrder: Hashable, Sendable {
    /// FBS documents no limit; this keeps an orderId within what any sane system stores.
    public static let maximumOrderIDLength = 200

    public let orderID: String
    /// The fees this order pays in full, each once, in the order given.
    public let feeIDs: [Int64]

    /// Refuses an order FBS could not take as meant: no fees, a fee twice, an orderId
    /// that is empty, too long or holds control characters.
    public init(orderID: String, feeIDs: [Int64]) throws(FBSError) {
        func refuse(_ message: String) -> FBSError {
            FBSError(.invalidOrder, operation: .registerPayment, message: message)
        }
        let scalars = orderID.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= Self.maximumOrderIDLength else {
            throw refuse("an orderId must have 1 to \(Self.maximumOrderIDLength) characters, this one has \(scalars.count)")
        }
        guard !scalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw refuse("an orderId must not hold control characters")
        }
        guard !feeIDs.isEmpty else { throw refuse("an order must pay at least one fee") }
        var seen = Set<Int64>()
        for id in feeIDs where !seen.insert(id).inserted {
            throw refuse("fee \(id) is listed twice in order \(orderID)")
        }
        self.orderID = orderID
        self.feeIDs = feeIDs
    }
}
