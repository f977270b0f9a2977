import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Refused payment records that count as received: those not later corrected by a booked
/// payment with the same transaction id (a conflict is never a correction).
private let countedRejections = """
    r.record_type = 'D' AND r.amount_ore IS NOT NULL
    AND (r.reason_code = 'record.conflict' OR r.transaction_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM payment c WHERE c.kiosk_id = COALESCE(r.kiosk_id, f.kiosk_id) AND c.transaction_id = r.transaction_id))
    """

/// The queries behind reconciliation, status and metrics in SQLite, on one snapshot.
final class SQLiteOperationsSession: OperationsSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let lock: SQLiteLeaseLock

    init(_ connection: ConfinedConnection, lock: SQLiteLeaseLock) {
        self.connection = connection
        self.lock = lock
    }

    func leaseState() async throws -> LeaseState {
        let now = SQLiteLeaseSession.clock
        let held = lock.isHeld
        return try await connection.run { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM lease WHERE id = 1")
            let standbys = try Row.fetchAll(db, sql: "SELECT * FROM lease_standby WHERE seen_at >= ? ORDER BY seen_at DESC",
                                            arguments: [now.adding(seconds: -3600).millisecondsSinceEpoch]).map { row in
                LeaseStandby(holder: row["holder"], host: row["host"], pid: row["pid"], seenAt: Instant(row: row["seen_at"]))
            }
            let current = row.map(SQLiteLeaseSession.lease)
            let released: Int? = row?["released_at"]
            let lastTakeover: Int? = row?["last_takeover"]
            // Free: released, or (its holder gone) since it last renewed.
            let freeSince = held ? nil : (released.map(Instant.init(row:)) ?? current.map { min($0.expires, now) })
            return LeaseState(current: current, isHeld: held, now: now, freeSince: freeSince, takeovers: row?["takeovers"] ?? 0,
                              lastTakeover: lastTakeover.map(Instant.init(row:)), standbys: standbys)
        }
    }


    func dayPayments(from: Instant, to: Instant) async throws -> [DayPayment] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT p.kiosk_id, p.location, p.transaction_id, p.receipt, p.tender, p.claim_type, p.amount_ore, v.effect, p.operator_id,
                       EXISTS (SELECT 1 FROM allocation_part a JOIN export_batch_run r ON r.cycle_id = a.cycle_id
                               JOIN export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                               WHERE a.payment_id = p.id AND a.void_id IS NULL AND b.state = 'published')
                           OR \(FBSPartSchema.registeredPart()) AS exported,
                       COALESCE((SELECT SUM(amount_ore) FROM allocation_part a WHERE a.payment_id = p.id AND a.kind = 'SURPLUS'), 0) AS surplus
                FROM payment p LEFT JOIN void v ON v.payment_id = p.id
                WHERE p.paid_at >= ? AND p.paid_at < ?
                ORDER BY p.kiosk_id, p.paid_at, p.transaction_id
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
                let effect: String? = row["effect"]
                return DayPayment(kioskID: row["kiosk_id"], location: row["location"], transactionID: row["transaction_id"],
                                  receipt: row["receipt"], tender: row["tender"], claimType: row["claim_type"],
                                  amount: Amount(ore: row["amount_ore"]), voided: effect.flatMap(VoidEffect.init(rawValue:)),
                                  exported: row["exported"], surplus: Amount(ore: row["surplus"]), operatorID: row["operator_id"])
            }
        }
    }

    func dayRejectedRecords(from: Instant, to: Instant) async throws -> [DayRejectedRecord] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)') AS kiosk, r.transaction_id, r.receipt, r.amount_ore, r.reason,
                       f.name AS file_name, r.line, r.whole_file
                FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
                WHERE COALESCE(r.paid_at, r.rejected_at) >= ? AND COALESCE(r.paid_at, r.rejected_at) < ? AND \(countedRejections)
                ORDER BY 1, r.id
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
                DayRejectedRecord(kioskID: row["kiosk"], transactionID: row["transaction_id"], receipt: row["receipt"],
                                  amount: Amount(ore: row["amount_ore"]), reason: row["reason"], fileName: row["file_name"],
                                  line: row["line"], wholeFile: row["whole_file"])
            }
        }
    }

    func exportedShares(from: Instant, to: Instant) async throws -> [ExportedShare] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT p.kiosk_id, b.series, b.file_name, COUNT(*) AS lines, SUM(a.amount_ore) AS sum_ore
                FROM payment p
                JOIN allocation_part a ON a.payment_id = p.id
                JOIN export_batch_run r ON r.cycle_id = a.cycle_id
                JOIN export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                WHERE p.paid_at >= ? AND p.paid_at < ? AND b.state = 'published'
                GROUP BY p.kiosk_id, b.series, b.file_name
                ORDER BY p.kiosk_id, b.series, MIN(b.id)
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
                ExportedShare(kioskID: row["kiosk_id"], series: row["series"], fileName: row["file_name"], lines: row["lines"],
                              sum: Amount(ore: row["sum_ore"]))
            }
        }
    }

    func dayReceipts(kioskID: String, from: Instant, to: Instant) async throws -> [String] {
        try await connection.run { db in
            try String.fetchAll(db, sql: """
                SELECT receipt FROM payment WHERE kiosk_id = ?1 AND paid_at >= ?2 AND paid_at < ?3
                UNION
                SELECT r.receipt FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
                WHERE COALESCE(r.kiosk_id, f.kiosk_id) = ?1 AND r.receipt IS NOT NULL
                  AND COALESCE(r.paid_at, r.rejected_at) >= ?2 AND COALESCE(r.paid_at, r.rejected_at) < ?3
                """, arguments: [kioskID, from.millisecondsSinceEpoch, to.millisecondsSinceEpoch])
        }
    }

    func kiosksWithFiles(before instant: Instant) async throws -> Set<String> {
        try await connection.run { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT kiosk_id FROM kiosk_file WHERE kiosk_id IS NOT NULL AND received_at < ?",
                                    arguments: [instant.millisecondsSinceEpoch]))
        }
    }

    func receivedBefore(_ instant: Instant) async throws -> [String: Amount] {
        try await receivedTally(before: instant, continuing: nil).total
    }

    func receivedTally(before instant: Instant, continuing mark: PaymentsMark?) async throws -> ReceivedTally {
        try await connection.run { db in
            let cutoff = instant.millisecondsSinceEpoch
            let through = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM payment") ?? 0
            var payments = mark?.received ?? [:]
            let paymentSums: String
            var arguments: StatementArguments = [cutoff]
            if let mark {
                paymentSums = """
                    SELECT kiosk_id, SUM(amount_ore) AS sum_ore FROM (
                        SELECT kiosk_id, amount_ore FROM payment WHERE id > ?2 AND paid_at < ?1
                        UNION ALL
                        SELECT kiosk_id, amount_ore FROM payment WHERE paid_at >= ?3 AND paid_at < ?1 AND id <= ?2
                    ) GROUP BY kiosk_id
                    """
                arguments += [mark.throughPayment, mark.before.millisecondsSinceEpoch]
            } else {
                paymentSums = "SELECT kiosk_id, SUM(amount_ore) AS sum_ore FROM payment WHERE paid_at < ?1 GROUP BY kiosk_id"
            }
            for row in try Row.fetchAll(db, sql: paymentSums, arguments: arguments) {
                let kiosk: String = row["kiosk_id"]
                payments[kiosk, default: .zero] += Amount(ore: row["sum_ore"])
            }
            var rejections: [String: Amount] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)') AS kiosk_id, SUM(r.amount_ore) AS sum_ore
                FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
                WHERE COALESCE(r.paid_at, r.rejected_at) < ?1 AND \(countedRejections)
                GROUP BY 1
                """, arguments: [cutoff]) {
                rejections[row["kiosk_id"]] = Amount(ore: row["sum_ore"])
            }
            return ReceivedTally(payments: payments, rejections: rejections, throughPayment: through)
        }
    }

    func confirmedShares(from: Instant, to: Instant) async throws -> [ConfirmedShare] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT kiosk_id, COUNT(*) AS exported_count, SUM(amount_ore) AS exported_ore, COUNT(confirmation_id) AS confirmed_count,
                       COALESCE(SUM(CASE WHEN confirmation_id IS NOT NULL THEN amount_ore END), 0) AS confirmed_ore
                FROM debtor_export WHERE taken_at >= ? AND taken_at < ? GROUP BY kiosk_id ORDER BY kiosk_id
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
                ConfirmedShare(kioskID: row["kiosk_id"], exportedCount: row["exported_count"], exported: Amount(ore: row["exported_ore"]),
                               confirmedCount: row["confirmed_count"], confirmed: Amount(ore: row["confirmed_ore"]))
            }
        }
    }

    /// An unconfirmed export's columns, from `debtor_export e` with its payment `p` and void `v`.
    private static let unconfirmedSource = """
        SELECT e.subject, e.kiosk_id, COALESCE(v.void_id, p.transaction_id) AS transaction_id, p.receipt, e.taken_at, e.exported_at,
               e.amount_ore
        FROM debtor_export e
        LEFT JOIN void v ON e.subject = 'void' AND v.id = e.subject_id
        JOIN payment p ON p.id = CASE WHEN e.subject = 'void' THEN v.payment_id ELSE e.subject_id END
        """

    private static func unconfirmed(_ row: Row) -> UnconfirmedExport {
        UnconfirmedExport(isReversal: (row["subject"] as String) == "void", kioskID: row["kiosk_id"], transactionID: row["transaction_id"],
                          receipt: row["receipt"], takenAt: Instant(row: row["taken_at"]), exportedAt: Instant(row: row["exported_at"]),
                          amount: Amount(ore: row["amount_ore"]))
    }

    func unconfirmedExports(from: Instant, to: Instant, limit: Int) async throws -> [UnconfirmedExport] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                \(Self.unconfirmedSource)
                WHERE e.confirmation_id IS NULL AND e.taken_at >= ? AND e.taken_at < ?
                ORDER BY e.exported_at, e.subject, e.subject_id LIMIT ?
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch, limit]).map(Self.unconfirmed)
        }
    }

    func dayFBSParts(from: Instant, to: Instant) async throws -> [DayFBSPart] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: FBSPartSchema.dayParts(from: "\(from.millisecondsSinceEpoch)", to: "\(to.millisecondsSinceEpoch)"))
                .compactMap { row in
                    guard let state = FBSPartState(rawValue: row["state"]) else { return nil }
                    return DayFBSPart(kioskID: row["kiosk_id"], receipt: row["receipt"], transactionID: row["transaction_id"],
                                      feeID: row["fee_id"], amount: Amount(ore: row["amount_ore"]),
                                      status: FBSPartStatus(state: state, confirmationID: row["confirmation_id"], reason: row["reason"]))
                }
        }
    }

    func tillCloses(date: LocalDate) async throws -> [TillClose] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT \(TillSchema.closeColumns) FROM till_close c
                WHERE date = ? AND id = (SELECT MAX(id) FROM till_close l WHERE l.till_id = c.till_id AND l.date = c.date)
                ORDER BY till_id
                """, arguments: [date.description]).compactMap { row in
                guard let text: String = row["date"], let day = LocalDate(iso: text) else { return nil }
                return TillClose(id: row["id"], tillID: row["till_id"], date: day, counted: Amount(ore: row["counted_ore"]),
                                 registered: Amount(ore: row["registered_ore"]), staff: row["staff"], closedAt: Instant(row: row["closed_at"]),
                                 note: row["note"])
            }
        }
    }

    func fbsBacklog() async throws -> FBSBacklog {
        try await connection.run { db in
            guard let row = try Row.fetchOne(db, sql: FBSPartSchema.backlog()) else { return .none }
            return FBSBacklog(count: row["count"], sum: Amount(ore: row["sum_ore"]), oldestSince: (row["since"] as Int?).map(Instant.init(row:)))
        }
    }

    func overdueConfirmations(exportedBefore instant: Instant) async throws -> OverdueConfirmations {
        try await connection.run { db in
            guard let totals = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0) AS sum_ore FROM debtor_export
                WHERE confirmation_id IS NULL AND exported_at < ?
                """, arguments: [instant.millisecondsSinceEpoch]), (totals["count"] as Int) > 0 else { return .none }
            let oldest = try Row.fetchOne(db, sql: """
                \(Self.unconfirmedSource)
                WHERE e.confirmation_id IS NULL AND e.exported_at < ? ORDER BY e.exported_at, e.subject, e.subject_id LIMIT 1
                """, arguments: [instant.millisecondsSinceEpoch]).map(Self.unconfirmed)
            return OverdueConfirmations(count: totals["count"], sum: Amount(ore: totals["sum_ore"]), oldest: oldest)
        }
    }

    func dayClosings(date: LocalDate) async throws -> [DayClosing] {
        try await connection.run { db in
            try Self.closings(db, "date = ?", [date.description])
        }
    }

    func latestDayClosings(before date: LocalDate) async throws -> [DayClosing] {
        try await connection.run { db in
            try Self.closings(db, "date = (SELECT MAX(date) FROM day_closing WHERE date < ?)", [date.description])
        }
    }

    private static func closings(_ db: Database, _ condition: String, _ arguments: StatementArguments) throws -> [DayClosing] {
        try Row.fetchAll(db, sql: """
            SELECT kiosk_id, date, cumulative_received_ore, recorded_at, payments_received_ore, through_payment
            FROM day_closing WHERE \(condition) ORDER BY kiosk_id
            """, arguments: arguments).compactMap { row in
            guard let text: String = row["date"], let date = LocalDate(iso: text) else { return nil }
            return DayClosing(kioskID: row["kiosk_id"], date: date, cumulativeReceived: Amount(ore: row["cumulative_received_ore"]),
                              recordedAt: Instant(row: row["recorded_at"]),
                              paymentsReceived: (row["payments_received_ore"] as Int?).map { Amount(ore: $0) },
                              throughPayment: row["through_payment"])
        }
    }

    func kioskFiles(from: Instant, to: Instant) async throws -> [KioskFileView] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT kiosk_id, name, sequence, verdict, received_at, records, trailer_ore, reason FROM kiosk_file
                WHERE received_at >= ? AND received_at < ? ORDER BY kiosk_id, sequence, id
                """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
                let trailer: Int? = row["trailer_ore"]
                return KioskFileView(kioskID: row["kiosk_id"], name: row["name"], sequence: row["sequence"],
                                     verdict: FileVerdict(rawValue: row["verdict"]) ?? .rejected, receivedAt: Instant(row: row["received_at"]),
                                     records: row["records"], trailerSum: trailer.map(Amount.init(ore:)), reason: row["reason"])
            }
        }
    }

    func runningTotals() async throws -> RunningTotals {
        try await connection.run { db in try Self.runningTotals(db) }
    }

    private static func runningTotals(_ db: Database) throws -> RunningTotals {
        var totals = RunningTotals()
        if let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0) AS sum_ore, COALESCE(SUM(state = 'voided'), 0) AS voided FROM payment
            """) {
            totals.paymentsBooked = row["count"]
            totals.paymentsBookedSum = Amount(ore: row["sum_ore"])
            totals.paymentsVoided = row["voided"]
        }
        if let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0) AS sum_ore FROM rejected_record WHERE record_type = 'D'
            """) {
            totals.recordsRejected = row["count"]
            totals.recordsRejectedSum = Amount(ore: row["sum_ore"])
        }
        for row in try Row.fetchAll(db, sql: "SELECT verdict, COUNT(*) AS count FROM kiosk_file GROUP BY verdict") {
            switch FileVerdict(rawValue: row["verdict"]) {
            case .accepted: totals.filesAccepted = row["count"]
            case .rejected: totals.filesRejected = row["count"]
            case .duplicate: totals.filesDuplicate = row["count"]
            case nil: break
            }
        }
        if let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS count, COALESCE(SUM(sum_ore), 0) AS sum_ore FROM export_batch WHERE state = 'published' AND channel = 'DEBTOR'
            """) {
            totals.exportFiles = row["count"]
            totals.exportedSum = Amount(ore: row["sum_ore"])
        }
        // Payments with a part in a delivered debtor file: the payments of each debtor run
        // that a published batch carried.
        totals.paymentsExported = try Int.fetchOne(db, sql: """
            SELECT COALESCE(SUM(ar.payments), 0) FROM allocation_run ar
            WHERE ar.channel = 'DEBTOR' AND EXISTS (
                SELECT 1 FROM export_batch_run r JOIN export_batch b ON b.id = r.batch_id
                WHERE r.cycle_id = ar.cycle_id AND b.channel = 'DEBTOR' AND b.state = 'published')
            """) ?? 0
        totals.lastSuccessfulCycle = try Int.fetchOne(db, sql: """
            SELECT started_at FROM cycle WHERE command = 'cycle' AND result = 'ok' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1
            """).map(Instant.init(row:))
        return totals
    }

    func lastCycle() async throws -> CycleView? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: "SELECT started_at, finished_at, result, summary FROM cycle ORDER BY id DESC LIMIT 1").map { row in
                let finished: Int? = row["finished_at"]
                return CycleView(startedAt: Instant(row: row["started_at"]), finishedAt: finished.map(Instant.init(row:)),
                                 result: row["result"], summaryJSON: row["summary"])
            }
        }
    }

    func unpublishedBatches() async throws -> [StoredBatch] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteCycleSession.batchColumns()) FROM export_batch WHERE state = 'prepared' ORDER BY id")
                .map(SQLiteCycleSession.batch)
        }
    }

    func publishedFiles(since: Instant) async throws -> [PublishedFileView] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT series, file_name, outbox_path, published_at FROM export_batch
                WHERE state = 'published' AND published_at >= ? ORDER BY id
                """, arguments: [since.millisecondsSinceEpoch]).map { row in
                PublishedFileView(series: row["series"], fileName: row["file_name"], outboxPath: row["outbox_path"],
                                  publishedAt: Instant(row: row["published_at"]))
            }
        }
    }

    func kioskArrivals(since: Instant) async throws -> [String: [Instant]] {
        try await connection.run { db in
            var arrivals: [String: [Instant]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT kiosk_id, received_at FROM kiosk_file
                WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL AND received_at >= ? ORDER BY received_at
                """, arguments: [since.millisecondsSinceEpoch]) {
                arrivals[row["kiosk_id"], default: []].append(Instant(row: row["received_at"]))
            }
            return arrivals
        }
    }

    func alertState() async throws -> AlertState? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: "SELECT level, changed_at, summary FROM alert_state WHERE id = 1").map { row in
                AlertState(level: row["level"], changedAt: Instant(row: row["changed_at"]), summary: row["summary"])
            }
        }
    }

    func sequenceGaps() async throws -> [SequenceGap] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT kiosk_id, sequence, LEAD(sequence) OVER (PARTITION BY kiosk_id ORDER BY sequence) AS next
                FROM kiosk_file WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL
                """).compactMap { row in
                let sequence: Int = row["sequence"]
                guard let next: Int = row["next"], next > sequence + 1 else { return nil }
                return SequenceGap(kioskID: row["kiosk_id"], missing: (sequence + 1)...(next - 1))
            }
        }
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await connection.run { db in try SQLiteClaimsSession.snapshots(db) }
    }
}

/// Day closings and the alert level in SQLite.
final class SQLiteOperationsRecorder: OperationsRecorder, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    func recordDayClosing(_ closing: DayClosing) async throws {
        try await connection.run { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO day_closing (kiosk_id, date, cumulative_received_ore, recorded_at, payments_received_ore,
                                                   through_payment)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [closing.kioskID, closing.date.description, closing.cumulativeReceived.ore,
                                 closing.recordedAt.millisecondsSinceEpoch, closing.paymentsReceived?.ore, closing.throughPayment])
        }
    }

    func setAlertState(_ state: AlertState) async throws {
        try await connection.run { db in
            try db.execute(sql: """
                INSERT INTO alert_state (id, level, changed_at, summary) VALUES (1, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET level = excluded.level, changed_at = excluded.changed_at, summary = excluded.summary
                """, arguments: [state.level, state.changedAt.millisecondsSinceEpoch, state.summary])
            self.trail.append(at: state.changedAt, "status", 1, state.level, cause: state.summary)
        }
    }
}
