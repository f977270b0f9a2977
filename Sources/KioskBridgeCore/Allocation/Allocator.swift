/// A claim as allocation sees it: its place in the order and what it can still take.
public struct AllocatableClaim: Hashable, Sendable {
    public let id: String
    public let createdOn: LocalDate
    public let dueOn: LocalDate?
    public let payableIn: PaymentChannel
    /// Effective outstanding; decreases as payments in this cycle take from it.
    public var remaining: Amount

    public init(id: String, createdOn: LocalDate, dueOn: LocalDate?, payableIn: PaymentChannel, remaining: Amount) {
        self.id = id
        self.createdOn = createdOn
        self.dueOn = dueOn
        self.payableIn = payableIn
        self.remaining = remaining
    }
}

/// Oldest claim first: how the debtor system itself applies a payment that does not name
/// a claim, done here so that the bridge can say which claims a payment paid.
///
/// Pure and deterministic: no clock, no database. Give it one payer's claims of one claim
/// type and that payer's payments of that type in allocation order; payers and claim
/// types never share øre, so each group can be allocated on its own.
public struct Allocator: Sendable {
    public let fbsClaims: FBSClaimsPolicy

    public init(fbsClaims: FBSClaimsPolicy) {
        self.fbsClaims = fbsClaims
    }

    /// The claims a payment may cover, oldest first.
    public func eligible(_ claims: [AllocatableClaim]) -> [AllocatableClaim] {
        claims.filter { fbsClaims.allocatesToFBSClaims || $0.payableIn == .debtor }
            .sorted(by: AllocationOrder.claimPrecedes)
    }

    /// Splits `amount` over `claims` (already ``eligible(_:)`` and ordered), taking from
    /// their remaining outstanding. The parts always add up to `amount`.
    public func allocate(_ amount: Amount, over claims: inout [AllocatableClaim]) -> [AllocationPart] {
        var left = amount
        var parts: [AllocationPart] = []
        for index in claims.indices where left.isPositive && claims[index].remaining.isPositive {
            let take = min(left, claims[index].remaining)
            claims[index].remaining -= take
            left -= take
            parts.append(AllocationPart(kind: .payment, claimID: claims[index].id, channel: claims[index].payableIn, amount: take))
        }
        if left.isPositive {
            parts.append(AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: left))
        }
        return parts
    }
}
