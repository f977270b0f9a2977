/// What to do with claims that only FBS can take (`[allocation] fbs_claims`).
public enum FBSClaimsPolicy: String, Sendable, CaseIterable {
    /// Leave them out of allocation; the desk sees them as possibly still blocking.
    case skip
    /// Allocate to them in turn; those parts go to a worklist for staff to register in FBS.
    case worklist
    /// Allocate to them in turn, over FBS's live fees: a part that pays a fee in full is
    /// registered in FBS through its payment API, one that pays it only partly goes to the worklist.
    case fbs

    /// Whether claims payable only in FBS take part in the order.
    public var allocatesToFBSClaims: Bool { self != .skip }
}
