import KioskBridgeStore

/// What a logged-in desk session remembers: who it is, and the token every form it is
/// shown must send back (so that another site cannot make a librarian's browser post).
struct DeskSessionData: Sendable, Hashable {
    var staff: String
    var formToken: String
    /// The SHA-256 of the session's key (its cookie): what the store knows it by.
    var keyHash: String
    /// What the account may do, as the store says now.
    var role: DeskRole
}
