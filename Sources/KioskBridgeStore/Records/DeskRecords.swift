public import KioskBridgeCore

/// A member of the library's desk staff, with what the account may do.
public struct DeskUser: Sendable, Hashable {
    public let id: RowID
    public let name: String
    /// A bcrypt hash; the password itself is never stored.
    public let passwordHash: String
    public let createdAt: Instant
    /// A disabled account cannot log in, and its sessions are gone.
    public let disabled: Bool
    public let role: DeskRole

    public init(id: RowID, name: String, passwordHash: String, createdAt: Instant, disabled: Bool = false, role: DeskRole = .lookup) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabled = disabled
        self.role = role
    }
}

/// A logged-in desk session as the store keeps it, so that every `serve` process knows it
/// and a restart logs no one out. The session's key (the cookie) is never stored: only its
/// SHA-256.
public struct StoredDeskSession: Sendable, Hashable {
    public let keyHash: String
    public let staff: String
    /// The token every form shown in this session must send back.
    public let formToken: String
    public let createdAt: Instant
    public let expiresAt: Instant
    /// The account's role as it is now (read with the session, so a change applies at once).
    public let role: DeskRole

    public init(keyHash: String, staff: String, formToken: String, createdAt: Instant, expiresAt: Instant, role: DeskRole = .lookup) {
        self.keyHash = keyHash
        self.staff = staff
        self.formToken = formToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.role = role
    }
}

