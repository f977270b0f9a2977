import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// The desk's accounts and access log in SQLite.
final class SQLiteDeskSession: DeskSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    static func user(_ row: Row) -> DeskUser {
        DeskUser(id: row["id"], name: row["name"], passwordHash: row["password_hash"], createdAt: Instant(row: row["created_at"]))
    }

    private static func user(_ db: Database, named name: String) throws -> DeskUser? {
        try Row.fetchOne(db, sql: "SELECT id, name, password_hash, created_at FROM desk_user WHERE name = ?", arguments: [name]).map(user)
    }

    func user(named name: String) async throws -> DeskUser? {
        try await connection.run { db in try Self.user(db, named: name) }
    }

    func saveUser(name: String, passwordHash: String, at: Instant) async throws -> DeskUser {
        try await connection.run { db in
            if let existing = try Self.user(db, named: name) {
                try db.execute(sql: "UPDATE desk_user SET password_hash = ?, updated_at = ? WHERE id = ?",
                               arguments: [passwordHash, at.millisecondsSinceEpoch, existing.id])
                self.trail.append(at: at, "desk-user", existing.id, "password-changed", cause: "desk account \(name): new password")
                return DeskUser(id: existing.id, name: name, passwordHash: passwordHash, createdAt: existing.createdAt)
            }
            try db.execute(sql: "INSERT INTO desk_user (name, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)",
                           arguments: [name, passwordHash, at.millisecondsSinceEpoch, at.millisecondsSinceEpoch])
            let id = db.lastInsertedRowID
            self.trail.append(at: at, "desk-user", id, "added", cause: "desk account \(name) added")
            return DeskUser(id: id, name: name, passwordHash: passwordHash, createdAt: at)
        }
    }

    func users() async throws -> [DeskUser] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: "SELECT id, name, password_hash, created_at FROM desk_user ORDER BY name").map(Self.user)
        }
    }

    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) async throws {
        try await connection.run { _ in
            self.trail.append(at: at, subject, subjectID, event, cause: "\(cause) (desk: \(staff))")
        }
    }
}
