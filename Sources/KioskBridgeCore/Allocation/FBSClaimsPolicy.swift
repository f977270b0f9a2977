/// What to do with claims that only FBS can take (`[allocation] fbs_claims`).
public enum FBSClaimsPolicy: String, Sendable, CaseIterable {
    /// Leave them out of allocation; the desk sees them as possibly still blocking.
    case skip
    /// Allocate to them in turn; those parts go to a worklist for staff to register in FBS.
    case worklist
}
