import KioskBridgeCore
import GRDB

/// The desk's accounts and access log in SQLite.
final class SQLiteDeskSession: DeskSession {
    let db: Database

    let trail: TrailWriter

    init(_ db: Database) {
        self.db = db
        trail = TrailWriter(db)
    }

    static func user(_ row: Row) -> DeskUser {
        DeskUser(id: row[0], name: row[1], passwordHash: row[2], createdAt: Instant(row: row[3]))
    }

    func user(named name: String) throws -> DeskUser? {
        try Row.fetchOne(db, sql: "SELECT id, name, password_hash, created_at FROM desk_user WHERE name = ?", arguments: [name])
            .map(Self.user)
    }

    func saveUser(name: String, passwordHash: String, at: Instant) throws -> DeskUser {
        if let existing = try user(named: name) {
            try db.execute(sql: "UPDATE desk_user SET password_hash = ?, updated_at = ? WHERE id = ?",
                           arguments: [passwordHash, at.millisecondsSinceEpoch, existing.id])
            try trail.append(at: at, "desk-user", existing.id, "password-changed", cause: "desk account \(name): new password")
            return DeskUser(id: existing.id, name: name, passwordHash: passwordHash, createdAt: existing.createdAt)
        }
        try db.execute(sql: "INSERT INTO desk_user (name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)",
                       arguments: [name, passwordHash, at.millisecondsSinceEpoch, at.millisecondsSinceEpoch])
        let id = db.lastInsertedRowID
        try trail.append(at: at, "desk-user", id, "added", cause: "desk account \(name) added")
        return DeskUser(id: id, name: name, passwordHash: passwordHash, createdAt: at)
    }

    func users() throws -> [DeskUser] {
        try Row.fetchAll(db, sql: "SELECT id, name, password_hash, created_at FROM desk_user ORDER BY name").map(Self.user)
    }

    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) throws {
        try trail.append(at: at, subject, subjectID, event, cause: "\(cause) (desk: \(staff))")
    }
}
