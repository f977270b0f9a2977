/// What a desk account may do. Each role includes the ones before it: `till` may look up,
/// `admin` may take payments. Accounts made before roles existed are `lookup`.
public enum DeskRole: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Look up receipts and patrons, see the day's payments.
    case lookup
    /// And take payments at a till (`[[till]]`), print their receipts.
    case till
    /// And manage the desk's accounts.
    case admin

    public var mayTakePayments: Bool { self >= .till }
    public var mayManageAccounts: Bool { self == .admin }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (a: DeskRole, b: DeskRole) -> Bool { a.rank < b.rank }
}
