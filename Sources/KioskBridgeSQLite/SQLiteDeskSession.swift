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
        DeskUser(id: row["id"], name: row["name"], passwordHash: row["password_hash"], createdAt: Instant(row: row["created_at"]),
                 disabled: row["disabled"])
    }

    private static func user(_ db: Database, named name: String) throws -> DeskUser? {
        try Row.fetchOne(db, sql: "SELECT id, name, password_hash, created_at, disabled FROM desk_user WHERE name = ?", arguments: [name])
            .map(user)
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
                return DeskUser(id: existing.id, name: name, passwordHash: passwordHash, createdAt: existing.createdAt,
                                disabled: existing.disabled)
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
            try Row.fetchAll(db, sql: "SELECT id, name, password_hash, created_at, disabled FROM desk_user ORDER BY name").map(Self.user)
        }
    }

    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) async throws {
        try await connection.run { _ in
            self.trail.append(at: at, subject, subjectID, event, cause: "\(cause) (desk: \(staff))")
        }
    }

    func setDisabled(name: String, disabled: Bool, by: String, at: Instant) async throws -> DeskUser? {
        try await connection.run { db in
            guard let user = try Self.user(db, named: name) else { return nil }
            try db.execute(sql: "UPDATE desk_user SET disabled = ?, updated_at = ? WHERE id = ?",
                           arguments: [disabled, at.millisecondsSinceEpoch, user.id])
            var ended = 0
            if disabled {
                try db.execute(sql: "DELETE FROM desk_session WHERE staff = ?", arguments: [name])
                ended = db.changesCount
            }
            self.trail.append(at: at, "desk-user", user.id, disabled ? "disabled" : "enabled",
                              cause: DeskTrail.disabled(name: name, disabled: disabled, endedSessions: ended, by: by))
            return DeskUser(id: user.id, name: user.name, passwordHash: user.passwordHash, createdAt: user.createdAt, disabled: disabled)
        }
    }

    // MARK: Sessions

    func createSession(_ session: StoredDeskSession) async throws {
        try await connection.run { db in
            try db.execute(sql: "DELETE FROM desk_session WHERE expires_at < ?", arguments: [session.createdAt.millisecondsSinceEpoch])
            try db.execute(sql: """
                INSERT INTO desk_session (key_hash, staff, form_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [session.keyHash, session.staff, session.formToken, session.createdAt.millisecondsSinceEpoch,
                                 session.expiresAt.millisecondsSinceEpoch])
        }
    }

    func session(keyHash: String, at: Instant) async throws -> StoredDeskSession? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: """
                SELECT s.key_hash, s.staff, s.form_token, s.created_at, s.expires_at FROM desk_session s
                JOIN desk_user u ON u.name = s.staff AND u.disabled = 0
                WHERE s.key_hash = ? AND s.expires_at > ?
                """, arguments: [keyHash, at.millisecondsSinceEpoch]).map { row in
                StoredDeskSession(keyHash: row["key_hash"], staff: row["staff"], formToken: row["form_token"],
                                  createdAt: Instant(row: row["created_at"]), expiresAt: Instant(row: row["expires_at"]))
            }
        }
    }

    func endSession(keyHash: String) async throws {
        try await connection.run { db in try db.execute(sql: "DELETE FROM desk_session WHERE key_hash = ?", arguments: [keyHash]) }
    }

    // MARK: Failed logins

    func loginFailures(key: String, since: Instant) async throws -> Int {
        try await connection.run { db in
            try Int.fetchOne(db, sql: "SELECT failures FROM desk_login_failure WHERE key = ? AND last_at >= ?",
                             arguments: [key, since.millisecondsSinceEpoch]) ?? 0
        }
    }

    func recordLoginFailure(keys: [String], at: Instant, windowStart: Instant) async throws {
        try await connection.run { db in
            for key in keys {
                try db.execute(sql: """
                    INSERT INTO desk_login_failure (key, failures, last_at) VALUES (?1, 1, ?2)
                    ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN last_at < ?3 THEN 1 ELSE failures + 1 END, last_at = ?2
                    """, arguments: [key, at.millisecondsSinceEpoch, windowStart.millisecondsSinceEpoch])
            }
        }
    }

    func clearLoginFailures(key: String) async throws {
        try await connection.run { db in try db.execute(sql: "DELETE FROM desk_login_failure WHERE key = ?", arguments: [key]) }
    }
}
