/// The orders of allocation.md, as comparable keys.
///
/// Claims are paid oldest first; payments are allocated in the order they were paid,
/// reversals in the order they were voided. Every tie is broken, so the same inputs always
/// give the same allocation and the same export bytes.
public enum AllocationOrder {
    /// Oldest first: created on, then due on (no due date last), then claim id (ordinal).
    public static func claimPrecedes(_ a: AllocatableClaim, _ b: AllocatableClaim) -> Bool {
        if a.createdOn != b.createdOn { return a.createdOn < b.createdOn }
        switch (a.dueOn, b.dueOn) {
        case let (x?, y?) where x != y: return x < y
        case (nil, _?): return false
        case (_?, nil): return true
        default: return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
        }
    }

    /// Paid at, then kiosk id, then transaction id.
    public struct PaymentKey: Comparable, Hashable, Sendable {
        public let paidAt: Instant
        public let kioskID: String
        public let transactionID: String

        public init(paidAt: Instant, kioskID: String, transactionID: String) {
            self.paidAt = paidAt
            self.kioskID = kioskID
            self.transactionID = transactionID
        }

        public static func < (a: PaymentKey, b: PaymentKey) -> Bool {
            if a.paidAt != b.paidAt { return a.paidAt < b.paidAt }
            if a.kioskID != b.kioskID { return a.kioskID.utf8.lexicographicallyPrecedes(b.kioskID.utf8) }
            return a.transactionID.utf8.lexicographicallyPrecedes(b.transactionID.utf8)
        }
    }

    /// Reversals: voided at, then kiosk id, then the void's id. Same shape as payments.
    public typealias ReversalKey = PaymentKey
}
