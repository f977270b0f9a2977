/// The calls the bridge makes to FBS (fbs-api.md), named in every error and log line so
/// that an operator knows which one failed.
public enum FBSOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case login
    case findPatron
    case listFees
    case registerPayment

    /// The operation in the words of fbs-api.md.
    public var description: String {
        switch self {
        case .login: "log in"
        case .findPatron: "find the patron by CPR number"
        case .listFees: "list the patron's fees"
        case .registerPayment: "register a payment"
        }
    }
}
