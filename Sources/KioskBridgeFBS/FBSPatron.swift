/// FBS's number for a patron, the key of the fee and payment calls. Not personal data in
/// itself, but only meaningful inside FBS.
public struct FBSPatronID: Hashable, Sendable, CustomStringConvertible {
    public let value: Int64

    public init(_ value: Int64) {
        self.value = value
    }

    public var description: String { String(value) }
}

/// A patron found by CPR number (`patrons/preauthenticated/v10`).
public struct FBSPatron: Hashable, Sendable {
    /// How FBS judged the patron. A patron FBS does not know (`INVALID`) is no patron at all.
    public enum Status: Hashable, Sendable {
        case valid
        /// `LOANER_LOCKED_OUT`: the patron exists (and may owe fees) but may not borrow.
        case loanerLockedOut
    }

    /// `patronType`; FBS may add kinds, kept as their text.
    public enum Kind: Hashable, Sendable {
        case person
        case company
        case library
        case group
        case other(String)
        /// The answer did not say.
        case unstated
    }

    public let id: FBSPatronID
    public let status: Status
    public let kind: Kind

    public init(id: FBSPatronID, status: Status, kind: Kind) {
        self.id = id
        self.status = status
        self.kind = kind
    }
}
