public import KioskBridgeCore

/// A member of the library's desk staff who may use the receipt lookup.
public struct DeskUser: Sendable, Hashable {
    public let id: RowID
    public let name: String
    /// A bcrypt hash; the password itself is never stored.
    public let passwordHash: String
    public let createdAt: Instant

    public init(id: RowID, name: String, passwordHash: String, createdAt: Instant) {
        self.id = id
        self.name = name
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// The desk's accounts and its access log.
///
/// Who looked at whose personal data is the first question data-protection law asks, so
/// every search by CPR number and every reveal of a whole CPR number is a trail row with
/// the staff member's name, in the same tamper-evident chain as everything else.
public protocol DeskSession: AnyObject {
    func user(named name: String) async throws -> DeskUser?
    /// Adds an account, or replaces the password of an existing one.
    @discardableResult
    func saveUser(name: String, passwordHash: String, at: Instant) async throws -> DeskUser
    func users() async throws -> [DeskUser]
    /// One access-log row: `subject`/`subjectID` name what was looked at (a payment, a
    /// refused record, or the staff member for a search), `event` what happened.
    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) async throws
}
