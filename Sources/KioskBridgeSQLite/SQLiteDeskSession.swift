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
                 disabled: row["disabled"], role: DeskRole(rawValue: row["role"]) ?? .lookup)
    }

    private static func user(_ db: Database, named name: String) throws -> DeskUser? {
        try Row.fetchOne(db, sql: "SELECT id, name, password_hash, created_at, disabled, role FROM desk_user WHERE name = ?", arguments: [name])
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
                                disabled: existing.disabled, role: existing.role)
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
            try Row.fetchAll(db, sql: "SELECT id, name, password_hash, created_at, disabled, role FROM desk_user ORDER BY name").map(Self.user)
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
            return DeskUser(id: user.id, name: user.name, passwordHash: user.passwordHash, createdAt: user.createdAt, disabled: disabled,
                            role: user.role)
        }
    }

    func setRole(name: String, role: DeskRole, by: String, at: Instant) async throws -> DeskUser? {
        try await connection.run { db in
            guard let user = try Self.user(db, named: name) else { return nil }
            guard user.role != role else { return user }
            try db.execute(sql: "UPDATE desk_user SET role = ?, updated_at = ? WHERE id = ?", arguments: [role.rawValue, at.millisecondsSinceEpoch, user.id])
            self.trail.append(at: at, "desk-user", user.id, "role-changed", cause: DeskTrail.role(name: name, from: user.role, to: role, by: by))
            return DeskUser(id: user.id, name: user.name, passwordHash: user.passwordHash, createdAt: user.createdAt, disabled: user.disabled,
                            role: role)
        }
    }

    // MARK: Tills

    static func tillEntry(_ row: Row) -> TillEntry {
        if (row["kind"] as String) == "void" {
            return .void(TillVoid(id: row["id"], number: row["number"], tillID: row["till_id"], paymentReceiptNumber: row["voids"],
                                  amount: Amount(ore: row["amount_ore"]), staff: row["staff"], voidedAt: Instant(row: row["taken_at"]),
                                  reason: row["reason"] ?? ""))
        }
        return .payment(TillPayment(id: row["id"], number: row["number"], receiptNumber: row["receipt_number"], taken: NewTillPayment(
            tillID: row["till_id"], formToken: row["form_token"], staff: row["staff"], takenAt: Instant(row: row["taken_at"]),
            payerDigits: row["payer"], claimType: row["claim_type"], amount: Amount(ore: row["amount_ore"]), tender: row["tender"],
            reference: row["reference"], note: row["note"])))
    }

    private static func entry(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> TillEntry? {
        try Row.fetchOne(db, sql: "SELECT \(TillSchema.columns) FROM till_record WHERE \(condition)", arguments: arguments).map(tillEntry)
    }

    /// The till's next file number and next receipt number: writers take turns in SQLite,
    /// so neither can be taken twice.
    private static func nextNumbers(_ db: Database, tillID: String) throws -> (file: Int, receipt: Int) {
        let row = try Row.fetchOne(db, sql: """
            SELECT COALESCE(MAX(number), 0) + 1 AS file, COALESCE(MAX(receipt_number), 0) + 1 AS receipt FROM till_record WHERE till_id = ?
            """, arguments: [tillID])
        return (row?["file"] ?? 1, row?["receipt"] ?? 1)
    }

    func issueTillPayment(_ payment: NewTillPayment) async throws -> TillIssue {
        try await connection.run { db in
            if case .payment(let earlier)? = try Self.entry(db, "form_token = ?", [payment.formToken]) { return .alreadyIssued(earlier) }
            let next = try Self.nextNumbers(db, tillID: payment.tillID)
            try db.execute(sql: """
                INSERT INTO till_record (till_id, number, kind, receipt_number, form_token, staff, taken_at, payer, claim_type, amount_ore,
                                         tender, reference, note)
                VALUES (?, ?, 'payment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [payment.tillID, next.file, next.receipt, payment.formToken, payment.staff, payment.takenAt.millisecondsSinceEpoch,
                                 payment.payerDigits, payment.claimType, payment.amount.ore, payment.tender, payment.reference, payment.note])
            let issued = TillPayment(id: db.lastInsertedRowID, number: next.file, receiptNumber: next.receipt, taken: payment)
            self.trail.append(at: payment.takenAt, "till-payment", issued.id, "taken", cause: TillSchema.taken(issued))
            return .issued(issued)
        }
    }

    func issueTillVoid(_ void: NewTillVoid) async throws -> TillVoidIssue {
        try await connection.run { db in
            if case .void(let earlier)? = try Self.entry(db, "till_id = ? AND voids = ?", [void.tillID, void.receiptNumber]) {
                return .alreadyVoided(earlier)
            }
            guard case .payment(let payment)? = try Self.entry(db, "till_id = ? AND receipt_number = ?", [void.tillID, void.receiptNumber]) else {
                return .noSuchPayment
            }
            let number = try Self.nextNumbers(db, tillID: void.tillID).file
            let taken = payment.taken
            try db.execute(sql: """
                INSERT INTO till_record (till_id, number, kind, voids, reason, form_token, staff, taken_at, payer, claim_type, amount_ore, tender)
                VALUES (?, ?, 'void', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [void.tillID, number, void.receiptNumber, void.reason, "void:\(void.tillID):\(void.receiptNumber)", void.staff,
                                 void.voidedAt.millisecondsSinceEpoch, taken.payerDigits, taken.claimType, taken.amount.ore, taken.tender])
            let voided = TillVoid(id: db.lastInsertedRowID, number: number, tillID: void.tillID, paymentReceiptNumber: void.receiptNumber,
                                  amount: taken.amount, staff: void.staff, voidedAt: void.voidedAt, reason: void.reason)
            self.trail.append(at: void.voidedAt, "till-payment", payment.id, "voided", cause: TillSchema.voided(voided))
            return .voided(voided)
        }
    }

    func tillPayment(tillID: String, receiptNumber: Int) async throws -> TillPayment? {
        try await connection.run { db in
            guard case .payment(let payment)? = try Self.entry(db, "till_id = ? AND receipt_number = ?", [tillID, receiptNumber]) else { return nil }
            return payment
        }
    }

    func tillVoid(tillID: String, ofReceipt receiptNumber: Int) async throws -> TillVoid? {
        try await connection.run { db in
            guard case .void(let void)? = try Self.entry(db, "till_id = ? AND voids = ?", [tillID, receiptNumber]) else { return nil }
            return void
        }
    }

    func tillEntriesToFile(tillID: String) async throws -> [TillEntry] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT \(TillSchema.columns) FROM till_record
                WHERE till_id = ? AND number > COALESCE((SELECT MAX(sequence) FROM kiosk_file WHERE kiosk_id = ?), 0)
                ORDER BY number
                """, arguments: [tillID, tillID]).map(Self.tillEntry)
        }
    }

    func tillIDs() async throws -> [String] {
        try await connection.run { db in try String.fetchAll(db, sql: "SELECT DISTINCT till_id FROM till_record ORDER BY till_id") }
    }

    func tillCash(tillID: String, from: Instant, to: Instant) async throws -> Amount {
        try await connection.run { db in
            let row = try Row.fetchOne(db, sql: TillSchema.cashTaken(tillID: tillID, from: "\(from.millisecondsSinceEpoch)",
                                                                   to: "\(to.millisecondsSinceEpoch)"))
            return Amount(ore: row?["sum_ore"] ?? 0)
        }
    }

    func recordTillClose(tillID: String, date: LocalDate, counted: Amount, registered: Amount, staff: String, at: Instant,
                         note: String?) async throws -> TillClose {
        try await connection.run { db in
            try db.execute(sql: """
                INSERT INTO till_close (till_id, date, counted_ore, registered_ore, staff, closed_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [tillID, date.description, counted.ore, registered.ore, staff, at.millisecondsSinceEpoch, note])
            let close = TillClose(id: db.lastInsertedRowID, tillID: tillID, date: date, counted: counted, registered: registered, staff: staff,
                                  closedAt: at, note: note)
            self.trail.append(at: at, "till-close", close.id, "closed", cause: TillSchema.closed(close))
            return close
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
                SELECT s.key_hash, s.staff, s.form_token, s.created_at, s.expires_at, u.role FROM desk_session s
                JOIN desk_user u ON u.name = s.staff AND u.disabled = 0
                WHERE s.key_hash = ? AND s.expires_at > ?
                """, arguments: [keyHash, at.millisecondsSinceEpoch]).map { row in
                StoredDeskSession(keyHash: row["key_hash"], staff: row["staff"], formToken: row["form_token"],
                                  createdAt: Instant(row: row["created_at"]), expiresAt: Instant(row: row["expires_at"]),
                                  role: DeskRole(rawValue: row["role"]) ?? .lookup)
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
