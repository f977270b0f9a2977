/// Where a claim can be paid (`payable in` of the snapshot).
///
/// Claims created before the municipality's cut-off date stay in FBS and can only be
/// paid there; later ones belong to the debtor system.
public enum PaymentChannel: String, Sendable, Hashable, CaseIterable {
    case debtor = "DEBTOR"
    case fbs = "FBS"
}

/// Which system delivered a snapshot. Each source replaces only its own claims.
public typealias ClaimSource = PaymentChannel

/// An open claim (mellemværende) as a snapshot lists it.
public struct Claim: Hashable, Sendable {
    public let id: String
    public let payer: Payer
    /// The kiosk's claim type code, e.g. `BIBLIOTEKSGEBYR`.
    public let claimType: String
    public let createdOn: LocalDate
    public let dueOn: LocalDate?
    public let originalAmount: Amount
    /// What the source says is still owed; the bridge's own unreflected payments are not
    /// yet deducted (see ``EffectiveOutstanding``).
    public let outstanding: Amount
    public let payableIn: PaymentChannel
    public let source: ClaimSource

    public init(id: String, payer: Payer, claimType: String, createdOn: LocalDate, dueOn: LocalDate?,
                originalAmount: Amount, outstanding: Amount, payableIn: PaymentChannel, source: ClaimSource) {
        self.id = id
        self.payer = payer
        self.claimType = claimType
        self.createdOn = createdOn
        self.dueOn = dueOn
        self.originalAmount = originalAmount
        self.outstanding = outstanding
        self.payableIn = payableIn
        self.source = source
    }
}
