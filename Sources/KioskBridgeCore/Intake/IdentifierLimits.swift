/// The longest identifiers the configured debtor exports can carry.
///
/// The kiosk format allows identifiers of up to 100 characters, but ISO 20022 references
/// (`EndToEndId`, `CdtrRefInf/Ref`) hold 35, and a fixed-width layout holds what its
/// field's width allows. A payment whose transaction id an export cannot carry must be
/// refused when it arrives, with its line and reason, not discovered at export time,
/// where it would hold up every payment after it.
public struct IdentifierLimits: Hashable, Sendable {
    public var transactionID: Int
    public var receipt: Int
    public var claimID: Int
    /// Why the limits are lower than the kiosk format's, for the refusal's text.
    public var reason: String?

    public init(transactionID: Int = Identifier.maximumLength, receipt: Int = Identifier.maximumLength,
                claimID: Int = Identifier.maximumLength, reason: String? = nil) {
        self.transactionID = transactionID
        self.receipt = receipt
        self.claimID = claimID
        self.reason = reason
    }

    /// Only the kiosk format's own limit.
    public static let kioskFormat = IdentifierLimits()

    /// Nil when `text` fits `limit`; otherwise what was expected. Lengths are counted in
    /// Unicode code points, as XML Schema's maxLength and the fixed-width fields count them.
    public func problem(_ text: String, limit: Int) -> String? {
        guard text.unicodeScalars.count > limit else { return nil }
        return "at most \(limit) characters" + (reason.map { " (\($0))" } ?? "")
    }
}
