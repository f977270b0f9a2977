import KioskBridgeCore

/// One of a patron's fees as FBS lists it (`fees/v2`).
///
/// `payableByClient` is what separates an old claim (true: it stays in FBS, and a client
/// such as the bridge may take payment for it) from one handed to the debtor system (false).
public struct FBSFee: Hashable, Sendable {
    /// `type`: FBS documents `fee` and `compensation` and says to treat anything else as other.
    public enum Kind: Hashable, Sendable {
        case fee
        case compensation
        case other(String)

        init(text: String) {
            switch text {
            case "fee": self = .fee
            case "compensation": self = .compensation
            default: self = .other(text)
            }
        }

        /// The text FBS sent.
        public var text: String {
            switch self {
            case .fee: "fee"
            case .compensation: "compensation"
            case .other(let text): text
            }
        }
    }

    /// `feeId`: the key for paying it.
    public let id: Int64
    /// `amount`: what is still to pay, in whole øre.
    public let amount: Amount
    public let payableByClient: Bool
    public let kind: Kind
    /// `reasonMessage`: free text for the patron, if any.
    public let reason: String?
    public let createdOn: LocalDate
    public let dueOn: LocalDate?
    /// Set once the fee is paid in full.
    public let paidOn: LocalDate?

    public init(id: Int64, amount: Amount, payableByClient: Bool, kind: Kind, reason: String?,
                createdOn: LocalDate, dueOn: LocalDate?, paidOn: LocalDate?) {
        self.id = id
        self.amount = amount
        self.payableByClient = payableByClient
        self.kind = kind
        self.reason = reason
        self.createdOn = createdOn
        self.dueOn = dueOn
        self.paidOn = paidOn
    }
}
