/// FBS's answer for one fee of a payment order.
public struct FBSPaymentResult: Hashable, Sendable {
    /// `paymentStatus`, with the confirmation where FBS gives one.
    public enum Status: Hashable, Sendable {
        /// `paymentRegistered`: the fee is now paid by this order (also on a repeat of the order).
        case registered(confirmationID: String)
        /// `paymentRegisteredByDifferentOrderId`: someone else's order had already paid it
        /// (online, or staff): the patron has paid twice.
        case registeredByDifferentOrder
        /// `paymentNotAllowedByClient`: the bridge may not take payment for it (it moved to the debtor).
        case notAllowedByClient
        /// Any other status: not registered, for a reason FBS did not document. The text as
        /// FBS sent it, cut to ``FBSPaymentResult/maximumStatusLength`` characters.
        case unknown(String)
    }

    /// How much of an unknown status text is kept.
    public static let maximumStatusLength = 100

    public let feeID: Int64
    public let status: Status

    public init(feeID: Int64, status: Status) {
        self.feeID = feeID
        self.status = status
    }

    public var isRegistered: Bool {
        if case .registered = status { return true }
        return false
    }
}
