/// One line of what a payment did: this much to that claim, or this much left over.
public struct AllocationPart: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Paid (part of) a claim.
        case payment = "PAYMENT"
        /// What was left after the payer's last open claim: credit on the payer's account.
        case surplus = "SURPLUS"
        /// A voided payment's part, given back (negative amount).
        case reversal = "REVERSAL"
    }

    public let kind: Kind
    /// The claim paid or reversed; nil for a surplus (and for a reversal of a surplus).
    public let claimID: String?
    /// Where this part is to be booked: the debtor export, or the FBS worklist.
    public let channel: PaymentChannel
    public let amount: Amount

    public init(kind: Kind, claimID: String?, channel: PaymentChannel, amount: Amount) {
        self.kind = kind
        self.claimID = claimID
        self.channel = channel
        self.amount = amount
    }

    /// The parts of a voided payment, negated, on the same claims and channels.
    public static func reversal(of parts: [AllocationPart]) -> [AllocationPart] {
        parts.map { AllocationPart(kind: .reversal, claimID: $0.claimID, channel: $0.channel, amount: -$0.amount) }
    }
}
