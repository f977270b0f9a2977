/// The configuration's `[claim_types]`: the kiosk's own claim type codes and the debtor
/// system's code for each. A payment with a code that is not mapped cannot be booked,
/// because the debtor could not tell which kind of claim it pays.
public struct ClaimTypeMapping: Sendable, Hashable {
    public let debtorCodes: [String: String]

    public init(_ debtorCodes: [String: String]) {
        self.debtorCodes = debtorCodes
    }

    public func debtorCode(for kioskCode: String) -> String? { debtorCodes[kioskCode] }

    public var expectation: String {
        debtorCodes.isEmpty
            ? "a claim type code mapped in [claim_types] of the configuration (none are mapped)"
            : "one of the mapped claim type codes: " + debtorCodes.keys.sorted().joined(separator: ", ")
    }
}
