import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// The desk's accounts and access log in PostgreSQL.
final class PostgresDeskSession: DeskSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    static func user(_ row: PostgresStoredRow) throws -> DeskUser {
        DeskUser(id: try row.int64("id"), name: try row.text("name"), passwordHash: try row.text("password_hash"),
                 createdAt: Instant(millisecondsSinceEpoch: try row.int("created_at")), disabled: try row.bool("disabled"),
                 role: DeskRole(rawValue: try row.text("role")) ?? .lookup)
    }

    func user(named name: String) async throws -> DeskUser? {
        try await transaction.row("SELECT id, name, password_hash, created_at, disabled, role FROM §desk_user WHERE name = \(name)").map(Self.user)
    }

    func saveUser(name: String, passwordHash: String, at: Instant) async throws -> DeskUser {
        if let existing = try await user(named: name) {
            try await transaction.execute("""
                UPDATE §desk_user SET password_hash = \(passwordHash), updated_at = \(at.millisecondsSinceEpoch) WHERE id = \(existing.id)
                """)
            trail.append(at: at, "desk-user", existing.id, "password-changed", cause: "desk account \(name): new password")
            return DeskUser(id: existing.id, name: name, passwordHash: passwordHash, createdAt: existing.createdAt,
                            disabled: existing.disabled, role: existing.role)
        }
        guard let row = try await transaction.row("""
            INSERT INTO §desk_user (name, password_hash, created_at, updated_at)
            VALUES (\(name), \(passwordHash), \(at.millisecondsSinceEpoch), \(at.millisecondsSinceEpoch)) RETURNING id
            """) else { throw StoreError(.corrupt, "the new account's row was not returned", backend: PostgresBridgeStore.backend) }
        let id = try row.int64("id")
        trail.append(at: at, "desk-user", id, "added", cause: "desk account \(name) added")
        return DeskUser(id: id, name: name, passwordHash: passwordHash, createdAt: at)
    }

    func users() async throws -> [DeskUser] {
        try await transaction.rows("SELECT id, name, password_hash, created_at, disabled, role FROM §desk_user ORDER BY name").map(Self.user)
    }

    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) async throws {
        trail.append(at: at, subject, subjectID, event, cause: "\(cause) (desk: \(staff))")
    }

    func setDisabled(name: String, disabled: Bool, by: String, at: Instant) async throws -> DeskUser? {
        guard let user = try await user(named: name) else { return nil }
        try await transaction.execute("UPDATE §desk_user SET disabled = \(disabled), updated_at = \(at.millisecondsSinceEpoch) WHERE id = \(user.id)")
        var ended = 0
        if disabled {
            ended = try await transaction.rows("DELETE FROM §desk_session WHERE staff = \(name) RETURNING key_hash").count
        }
        trail.append(at: at, "desk-user", user.id, disabled ? "disabled" : "enabled",
                     cause: DeskTrail.disabled(name: name, disabled: disabled, endedSessions: ended, by: by))
        return DeskUser(id: user.id, name: user.name, passwordHash: user.passwordHash, createdAt: user.createdAt, disabled: disabled,
                        role: user.role)
    }

    func setRole(name: String, role: DeskRole, by: String, at: Instant) async throws -> DeskUser? {
        guard let user = try await user(named: name) else { return nil }
        guard user.role != role else { return user }
        try await transaction.execute("UPDATE §desk_user SET role = \(role.rawValue), updated_at = \(at.millisecondsSinceEpoch) WHERE id = \(user.id)")
        trail.append(at: at, "desk-user", user.id, "role-changed", cause: DeskTrail.role(name: name, from: user.role, to: role, by: by))
        return DeskUser(id: user.id, name: user.name, passwordHash: user.passwordHash, createdAt: user.createdAt, disabled: user.disabled,
                        role: role)
    }

    // MARK: Tills

    static func tillEntry(_ row: PostgresStoredRow) throws -> TillEntry {
        if try row.text("kind") == "void" {
            return .void(TillVoid(id: try row.int64("id"), number: try row.int("number"), tillID: try row.text("till_id"),
                                  paymentReceiptNumber: try row.int("voids"), amount: Amount(ore: try row.int("amount_ore")),
                                  staff: try row.text("staff"), voidedAt: Instant(millisecondsSinceEpoch: try row.int("taken_at")),
                                  reason: try row.optionalText("reason") ?? ""))
        }
        return .payment(TillPayment(id: try row.int64("id"), number: try row.int("number"), receiptNumber: try row.int("receipt_number"),
                                    taken: NewTillPayment(
            tillID: try row.text("till_id"), formToken: try row.text("form_token"), staff: try row.text("staff"),
            takenAt: Instant(millisecondsSinceEpoch: try row.int("taken_at")), payerDigits: try row.text("payer"),
            claimType: try row.text("claim_type"), amount: Amount(ore: try row.int("amount_ore")), tender: try row.text("tender"),
            reference: try row.optionalText("reference"), note: try row.optionalText("note"))))
    }

    private func entry(_ condition: PostgresQuery) async throws -> TillEntry? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(TillSchema.columns) FROM §till_record WHERE ")
        query.sql += condition.sql
        query.binds = condition.binds
        return try await transaction.row(query).map(Self.tillEntry)
    }

    /// The till's next file number and next receipt number. Two desks confirming at once
    /// take turns here, so each number is taken once and none is skipped, and a form's
    /// token or a receipt's void is looked up with the other's row visible.
    private func nextNumbers(tillID: String) async throws -> (file: Int, receipt: Int) {
        try await transaction.execute("LOCK TABLE §till_record IN SHARE ROW EXCLUSIVE MODE")
        let row = try await transaction.row("""
            SELECT COALESCE(MAX(number), 0) + 1 AS file, COALESCE(MAX(receipt_number), 0) + 1 AS receipt FROM §till_record
            WHERE till_id = \(tillID)
            """)
        return (try row?.int("file") ?? 1, try row?.int("receipt") ?? 1)
    }

    func issueTillPayment(_ payment: NewTillPayment) async throws -> TillIssue {
        let next = try await nextNumbers(tillID: payment.tillID)
        if case .payment(let earlier)? = try await entry("form_token = \(payment.formToken)") { return .alreadyIssued(earlier) }
        guard let row = try await transaction.row("""
            INSERT INTO §till_record (till_id, number, kind, receipt_number, form_token, staff, taken_at, payer, claim_type, amount_ore,
                                      tender, reference, note)
            VALUES (\(payment.tillID), \(next.file), 'payment', \(next.receipt), \(payment.formToken), \(payment.staff),
                    \(payment.takenAt.millisecondsSinceEpoch), \(payment.payerDigits), \(payment.claimType), \(payment.amount.ore),
                    \(payment.tender), \(payment.reference), \(payment.note))
            RETURNING id
            """) else { throw StoreError(.corrupt, "the till payment's row was not returned", backend: PostgresBridgeStore.backend) }
        let issued = TillPayment(id: try row.int64("id"), number: next.file, receiptNumber: next.receipt, taken: payment)
        trail.append(at: payment.takenAt, "till-payment", issued.id, "taken", cause: TillSchema.taken(issued))
        return .issued(issued)
    }

    func issueTillVoid(_ void: NewTillVoid) async throws -> TillVoidIssue {
        let next = try await nextNumbers(tillID: void.tillID)
        if case .void(let earlier)? = try await entry("till_id = \(void.tillID) AND voids = \(void.receiptNumber)") { return .alreadyVoided(earlier) }
        guard case .payment(let payment)? = try await entry("till_id = \(void.tillID) AND receipt_number = \(void.receiptNumber)") else {
            return .noSuchPayment
        }
        let taken = payment.taken
        guard let row = try await transaction.row("""
            INSERT INTO §till_record (till_id, number, kind, voids, reason, form_token, staff, taken_at, payer, claim_type, amount_ore, tender)
            VALUES (\(void.tillID), \(next.file), 'void', \(void.receiptNumber), \(void.reason), \("void:\(void.tillID):\(void.receiptNumber)"),
                    \(void.staff), \(void.voidedAt.millisecondsSinceEpoch), \(taken.payerDigits), \(taken.claimType), \(taken.amount.ore),
                    \(taken.tender))
            RETURNING id
            """) else { throw StoreError(.corrupt, "the till void's row was not returned", backend: PostgresBridgeStore.backend) }
        let voided = TillVoid(id: try row.int64("id"), number: next.file, tillID: void.tillID, paymentReceiptNumber: void.receiptNumber,
                              amount: taken.amount, staff: void.staff, voidedAt: void.voidedAt, reason: void.reason)
        trail.append(at: void.voidedAt, "till-payment", payment.id, "voided", cause: TillSchema.voided(voided))
        return .voided(voided)
    }

    func tillPayment(tillID: String, receiptNumber: Int) async throws -> TillPayment? {
        guard case .payment(let payment)? = try await entry("till_id = \(tillID) AND receipt_number = \(receiptNumber)") else { return nil }
        return payment
    }

    func tillVoid(tillID: String, ofReceipt receiptNumber: Int) async throws -> TillVoid? {
        guard case .void(let void)? = try await entry("till_id = \(tillID) AND voids = \(receiptNumber)") else { return nil }
        return void
    }

    func tillEntriesToFile(tillID: String) async throws -> [TillEntry] {
        try await transaction.rows("""
            SELECT \(unescaped: TillSchema.columns) FROM §till_record
            WHERE till_id = \(tillID) AND number > COALESCE((SELECT MAX(sequence) FROM §kiosk_file WHERE kiosk_id = \(tillID)), 0)
            ORDER BY number
            """).map(Self.tillEntry)
    }

    func tillIDs() async throws -> [String] {
        try await transaction.rows("SELECT DISTINCT till_id FROM §till_record ORDER BY till_id").map { try $0.text("till_id") }
    }

    func tillCash(tillID: String, from: Instant, to: Instant) async throws -> Amount {
        let row = try await transaction.row(PostgresQuery(unsafeSQL: TillSchema.cashTaken(
            table: { "§" + $0 }, tillID: tillID, from: "\(from.millisecondsSinceEpoch)", to: "\(to.millisecondsSinceEpoch)")))
        return Amount(ore: try row?.int("sum_ore") ?? 0)
    }

    func recordTillClose(tillID: String, date: LocalDate, counted: Amount, registered: Amount, staff: String, at: Instant,
                         note: String?) async throws -> TillClose {
        guard let row = try await transaction.row("""
            INSERT INTO §till_close (till_id, date, counted_ore, registered_ore, staff, closed_at, note)
            VALUES (\(tillID), \(date.description), \(counted.ore), \(registered.ore), \(staff), \(at.millisecondsSinceEpoch), \(note))
            RETURNING id
            """) else { throw StoreError(.corrupt, "the till close's row was not returned", backend: PostgresBridgeStore.backend) }
        let close = TillClose(id: try row.int64("id"), tillID: tillID, date: date, counted: counted, registered: registered, staff: staff,
                              closedAt: at, note: note)
        trail.append(at: at, "till-close", close.id, "closed", cause: TillSchema.closed(close))
        return close
    }

    // MARK: Sessions

    func createSession(_ session: StoredDeskSession) async throws {
        try await transaction.execute("DELETE FROM §desk_session WHERE expires_at < \(session.createdAt.millisecondsSinceEpoch)")
        try await transaction.execute("""
            INSERT INTO §desk_session (key_hash, staff, form_token, created_at, expires_at)
            VALUES (\(session.keyHash), \(session.staff), \(session.formToken), \(session.createdAt.millisecondsSinceEpoch),
                    \(session.expiresAt.millisecondsSinceEpoch))
            """)
    }

    func session(keyHash: String, at: Instant) async throws -> StoredDeskSession? {
        try await transaction.row("""
            SELECT s.key_hash, s.staff, s.form_token, s.created_at, s.expires_at, u.role FROM §desk_session s
            JOIN §desk_user u ON u.name = s.staff AND NOT u.disabled
            WHERE s.key_hash = \(keyHash) AND s.expires_at > \(at.millisecondsSinceEpoch)
            """).map { row in
            StoredDeskSession(keyHash: try row.text("key_hash"), staff: try row.text("staff"), formToken: try row.text("form_token"),
                              createdAt: Instant(millisecondsSinceEpoch: try row.int("created_at")),
                              expiresAt: Instant(millisecondsSinceEpoch: try row.int("expires_at")),
                              role: DeskRole(rawValue: try row.text("role")) ?? .lookup)
        }
    }

    func endSession(keyHash: String) async throws {
        try await transaction.execute("DELETE FROM §desk_session WHERE key_hash = \(keyHash)")
    }

    // MARK: Failed logins

    func loginFailures(key: String, since: Instant) async throws -> Int {
        try await transaction.row("""
            SELECT failures FROM §desk_login_failure WHERE key = \(key) AND last_at >= \(since.millisecondsSinceEpoch)
            """)?.int("failures") ?? 0
    }

    func recordLoginFailure(keys: [String], at: Instant, windowStart: Instant) async throws {
        for key in keys {
            try await transaction.execute("""
                INSERT INTO §desk_login_failure AS f (key, failures, last_at) VALUES (\(key), 1, \(at.millisecondsSinceEpoch))
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN f.last_at < \(windowStart.millisecondsSinceEpoch) THEN 1 ELSE f.failures + 1 END,
                    last_at = excluded.last_at
                """)
        }
    }

    func clearLoginFailures(key: String) async throws {
        try await transaction.execute("DELETE FROM §desk_login_failure WHERE key = \(key)")
    }
}

/// Pseudonymising old personal data in PostgreSQL. The replaced values' old row versions
/// are removed by the VACUUM the store runs after the commit.
final class PostgresPurgeSession: PurgeSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    func pseudonymise(before cutoff: Instant, pseudonym: @escaping @Sendable (String) -> String, at: Instant) async throws -> PurgeResult {
        var result = PurgeResult()
        let prefix = PurgeRules.pseudonymPrefix + "%"
        let payments = try await transaction.rows("""
            SELECT p.id, p.payer FROM §payment p
            WHERE p.payer_kind = 'CPR' AND p.payer NOT LIKE \(prefix)
              AND COALESCE((SELECT MIN(b.created_at) FROM §allocation_part a
                            JOIN §export_batch_run r ON r.cycle_id = a.cycle_id
                            JOIN §export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                            WHERE a.payment_id = p.id AND b.state = 'published'),
                           CASE WHEN p.state = 'voided' THEN p.booked_at END) < \(cutoff.millisecondsSinceEpoch)
            ORDER BY p.id
            """).map { (id: try $0.int64("id"), payer: try $0.text("payer")) }
        if !payments.isEmpty {
            try await transaction.execute("""
                UPDATE §payment p SET payer = u.payer FROM unnest(\(payments.map(\.id)), \(payments.map { pseudonym($0.payer) })) AS u(id, payer)
                WHERE p.id = u.id
                """)
        }
        result.payments = payments.count
        let records = try await transaction.rows("""
            SELECT id, payer_text, payer FROM §rejected_record
            WHERE rejected_at < \(cutoff.millisecondsSinceEpoch) AND payer_text IS NOT NULL AND payer_text NOT LIKE \(prefix)
            ORDER BY id
            """).map { row in
            let key = try row.optionalText("payer")
            return (id: try row.int64("id"), hashed: pseudonym(try key ?? row.text("payer_text")))
        }
        if !records.isEmpty {
            try await transaction.execute("""
                UPDATE §rejected_record r SET payer_text = u.hashed, payer = CASE WHEN r.payer IS NULL THEN NULL ELSE u.hashed END
                FROM unnest(\(records.map(\.id)), \(records.map(\.hashed))) AS u(id, hashed)
                WHERE r.id = u.id
                """)
        }
        result.rejectedRecords = records.count
        let tillRecords = try await transaction.rows("""
            SELECT id, payer FROM §till_record
            WHERE taken_at < \(cutoff.millisecondsSinceEpoch) AND length(payer) = 10 AND payer NOT LIKE \(prefix) ORDER BY id
            """).map { (id: try $0.int64("id"), payer: try $0.text("payer")) }
        if !tillRecords.isEmpty {
            try await transaction.execute("""
                UPDATE §till_record t SET payer = u.payer FROM unnest(\(tillRecords.map(\.id)), \(tillRecords.map { pseudonym($0.payer) })) AS u(id, payer)
                WHERE t.id = u.id
                """)
        }
        result.tillRecords = tillRecords.count
        return result
    }

    func purgeableFiles(before cutoff: Instant) async throws -> PurgeableFiles {
        var files = PurgeableFiles()
        files.kioskFiles = try await transaction.rows("""
            SELECT stored_path FROM §kiosk_file WHERE received_at < \(cutoff.millisecondsSinceEpoch) AND stored_path IS NOT NULL ORDER BY id
            """).map { try $0.text("stored_path") }
        files.exportCopies = try await transaction.rows("""
            SELECT archive_path FROM §export_batch WHERE created_at < \(cutoff.millisecondsSinceEpoch) AND archive_path IS NOT NULL ORDER BY id
            """).map { try $0.text("archive_path") }
        return files
    }

    func notePurge(_ text: String, at: Instant) async throws {
        trail.append(at: at, "purge", 1, "pseudonymised", cause: text)
    }
}

/// Day closings and the alert level in PostgreSQL.
final class PostgresOperationsRecorder: OperationsRecorder, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    func recordDayClosing(_ closing: DayClosing) async throws {
        try await transaction.execute("""
            INSERT INTO §day_closing (kiosk_id, date, cumulative_received_ore, recorded_at, payments_received_ore, through_payment)
            VALUES (\(closing.kioskID), \(closing.date.description), \(closing.cumulativeReceived.ore), \(closing.recordedAt.millisecondsSinceEpoch),
                    \(closing.paymentsReceived?.ore), \(closing.throughPayment))
            ON CONFLICT DO NOTHING
            """)
    }

    func setAlertState(_ state: AlertState) async throws {
        try await transaction.execute("""
            INSERT INTO §alert_state (id, level, changed_at, summary) VALUES (1, \(state.level), \(state.changedAt.millisecondsSinceEpoch), \(state.summary))
            ON CONFLICT (id) DO UPDATE SET level = excluded.level, changed_at = excluded.changed_at, summary = excluded.summary
            """)
        trail.append(at: state.changedAt, "status", 1, state.level, cause: state.summary)
    }
}

/// Reading the trail's chain in PostgreSQL, on one snapshot, through a cursor.
final class PostgresAuditSession: AuditSession {
    let transaction: PostgresTransaction

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    func forEachTrailRow(chunk: Int, _ body: ([TrailRow]) async throws -> Void) async throws {
        let size = max(1, chunk)
        try await transaction.execute("""
            DECLARE trail_rows NO SCROLL CURSOR FOR
            SELECT id, at, subject, subject_id, through_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash
            FROM §trail ORDER BY id
            """)
        while true {
            let run = try await transaction.rows(PostgresQuery(unsafeSQL: "FETCH \(size) FROM trail_rows")).map(Self.row)
            if !run.isEmpty { try await body(run) }
            if run.count < size { break }
        }
        try await transaction.execute("CLOSE trail_rows")
    }

    static func row(_ row: PostgresStoredRow) throws -> TrailRow {
        let entry = TrailRowContent(at: Instant(millisecondsSinceEpoch: try row.int("at")), subject: try row.text("subject"),
                                    subjectID: try row.int64("subject_id"), through: try row.optionalInt64("through_id"),
                                    event: try row.text("event"), cause: try row.text("cause"), file: try row.optionalInt64("file_id"),
                                    batch: try row.optionalInt64("batch_id"), cycle: try row.optionalInt64("cycle_id"))
        return TrailRow(id: try row.int64("id"), entry: entry, contentHash: try row.bytes("content_hash"), chainHash: try row.bytes("chain_hash"))
    }

    func trailHead() async throws -> TrailHead? {
        try await transaction.row("SELECT id, chain_hash FROM §trail ORDER BY id DESC LIMIT 1").map { row in
            TrailHead(rowID: try row.int64("id"), sha256: TrailChain.hex(try row.bytes("chain_hash")))
        }
    }

    func chainHashes(of rows: [Int64]) async throws -> [Int64: String] {
        guard !rows.isEmpty else { return [:] }
        var hashes: [Int64: String] = [:]
        for row in try await transaction.rows("SELECT id, chain_hash FROM §trail WHERE id = ANY(\(Array(Set(rows)).sorted()))") {
            hashes[try row.int64("id")] = TrailChain.hex(try row.bytes("chain_hash"))
        }
        return hashes
    }

    func archivedHeads() async throws -> [ArchivedHead] {
        try await transaction.rows("""
            SELECT archive_path, trail_head_id, trail_head_hash FROM §export_batch
            WHERE state = 'published' AND trail_head_id IS NOT NULL ORDER BY id
            """).map { row in
            ArchivedHead(archivePath: try row.text("archive_path"),
                         head: TrailHead(rowID: try row.int64("trail_head_id"), sha256: try row.text("trail_head_hash")))
        }
    }
}
