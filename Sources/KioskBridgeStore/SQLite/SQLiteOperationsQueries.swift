import KioskBridgeCore
import GRDB

/// Refused payment records that count as received: those not later corrected by a booked
/// payment with the same transaction id (a conflict is never a correction).
private let countedRejections = """
    r.record_type = 'D' AND r.amount_ore IS NOT NULL
    AND (r.reason_code = 'record.conflict' OR r.transaction_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM payment c WHERE c.kiosk_id = COALESCE(r.kiosk_id, f.kiosk_id) AND c.transaction_id = r.transaction_id))
    """

extension SQLiteStoreReader {
    func dayPayments(from: Instant, to: Instant) throws -> [DayPayment] {
        try Row.fetchAll(db, sql: """
            SELECT p.kiosk_id, p.location, p.transaction_id, p.receipt, p.tender, p.claim_type, p.amount_ore, v.effect,
                   EXISTS (SELECT 1 FROM allocation_part a JOIN export_series s ON s.channel = a.channel
                           JOIN export_batch b ON b.id = (SELECT id FROM export_batch WHERE series = s.name AND through_part_id >= a.id
                                                          ORDER BY through_part_id LIMIT 1)
                           WHERE a.payment_id = p.id AND a.void_id IS NULL AND b.after_part_id < a.id AND b.state = 'published'),
                   COALESCE((SELECT SUM(amount_ore) FROM allocation_part a WHERE a.payment_id = p.id AND a.kind = 'SURPLUS'), 0)
            FROM payment p LEFT JOIN void v ON v.payment_id = p.id
            WHERE p.paid_at >= ? AND p.paid_at < ?
            ORDER BY p.kiosk_id, p.paid_at, p.transaction_id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
            let effect: String? = row[7]
            return DayPayment(kioskID: row[0], location: row[1], transactionID: row[2], receipt: row[3], tender: row[4],
                              claimType: row[5], amount: Amount(ore: row[6]), voided: effect.flatMap(VoidEffect.init(rawValue:)),
                              exported: row[8], surplus: Amount(ore: row[9]))
        }
    }

    func dayRejectedRecords(from: Instant, to: Instant) throws -> [DayRejectedRecord] {
        try Row.fetchAll(db, sql: """
            SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)'), r.transaction_id, r.receipt, r.amount_ore, r.reason,
                   f.name, r.line, r.whole_file
            FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
            WHERE COALESCE(r.paid_at, r.rejected_at) >= ? AND COALESCE(r.paid_at, r.rejected_at) < ? AND \(countedRejections)
            ORDER BY 1, r.id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
            DayRejectedRecord(kioskID: row[0], transactionID: row[1], receipt: row[2], amount: Amount(ore: row[3]), reason: row[4],
                              fileName: row[5], line: row[6], wholeFile: row[7])
        }
    }

    func exportedShares(from: Instant, to: Instant) throws -> [ExportedShare] {
        try Row.fetchAll(db, sql: """
            SELECT p.kiosk_id, b.series, b.file_name, COUNT(*), SUM(a.amount_ore)
            FROM payment p
            JOIN allocation_part a ON a.payment_id = p.id
            JOIN export_series s ON s.channel = a.channel
            JOIN export_batch b ON b.id = (SELECT id FROM export_batch WHERE series = s.name AND through_part_id >= a.id
                                           ORDER BY through_part_id LIMIT 1)
            WHERE p.paid_at >= ? AND p.paid_at < ? AND b.after_part_id < a.id AND b.state = 'published'
            GROUP BY p.kiosk_id, b.series, b.file_name
            ORDER BY p.kiosk_id, b.series, MIN(b.id)
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
            ExportedShare(kioskID: row[0], series: row[1], fileName: row[2], lines: row[3], sum: Amount(ore: row[4]))
        }
    }

    func dayReceipts(kioskID: String, from: Instant, to: Instant) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT receipt FROM payment WHERE kiosk_id = ?1 AND paid_at >= ?2 AND paid_at < ?3
            UNION
            SELECT r.receipt FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
            WHERE COALESCE(r.kiosk_id, f.kiosk_id) = ?1 AND r.receipt IS NOT NULL
              AND COALESCE(r.paid_at, r.rejected_at) >= ?2 AND COALESCE(r.paid_at, r.rejected_at) < ?3
            """, arguments: [kioskID, from.millisecondsSinceEpoch, to.millisecondsSinceEpoch])
    }

    func kiosksWithFiles(before instant: Instant) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT kiosk_id FROM kiosk_file WHERE kiosk_id IS NOT NULL AND received_at < ?",
                                arguments: [instant.millisecondsSinceEpoch]))
    }

    func receivedBefore(_ instant: Instant) throws -> [String: Amount] {
        var totals: [String: Amount] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT kiosk_id, SUM(amount_ore) FROM (
                SELECT kiosk_id, amount_ore FROM payment WHERE paid_at < ?1
                UNION ALL
                SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)') AS kiosk_id, r.amount_ore
                FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
                WHERE COALESCE(r.paid_at, r.rejected_at) < ?1 AND \(countedRejections)
            ) GROUP BY kiosk_id
            """, arguments: [instant.millisecondsSinceEpoch]) {
            totals[row[0]] = Amount(ore: row[1])
        }
        return totals
    }

    func dayClosings(date: LocalDate) throws -> [DayClosing] {
        try Row.fetchAll(db, sql: "SELECT kiosk_id, cumulative_received_ore, recorded_at FROM day_closing WHERE date = ? ORDER BY kiosk_id",
                         arguments: [date.description]).map { row in
            DayClosing(kioskID: row[0], date: date, cumulativeReceived: Amount(ore: row[1]), recordedAt: Instant(row: row[2]))
        }
    }

    func kioskFiles(from: Instant, to: Instant) throws -> [KioskFileView] {
        try Row.fetchAll(db, sql: """
            SELECT kiosk_id, name, sequence, verdict, received_at, records, trailer_ore, reason FROM kiosk_file
            WHERE received_at >= ? AND received_at < ? ORDER BY kiosk_id, sequence, id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map { row in
            let trailer: Int? = row[6]
            return KioskFileView(kioskID: row[0], name: row[1], sequence: row[2], verdict: FileVerdict(rawValue: row[3]) ?? .rejected,
                                 receivedAt: Instant(row: row[4]), records: row[5], trailerSum: trailer.map(Amount.init(ore:)),
                                 reason: row[7])
        }
    }

    func runningTotals() throws -> RunningTotals {
        var totals = RunningTotals()
        if let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), COALESCE(SUM(amount_ore), 0), COALESCE(SUM(state = 'voided'), 0) FROM payment
            """) {
            totals.paymentsBooked = row[0]
            totals.paymentsBookedSum = Amount(ore: row[1])
            totals.paymentsVoided = row[2]
        }
        if let row = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(amount_ore), 0) FROM rejected_record WHERE record_type = 'D'") {
            totals.recordsRejected = row[0]
            totals.recordsRejectedSum = Amount(ore: row[1])
        }
        for row in try Row.fetchAll(db, sql: "SELECT verdict, COUNT(*) FROM kiosk_file GROUP BY verdict") {
            switch FileVerdict(rawValue: row[0]) {
            case .accepted: totals.filesAccepted = row[1]
            case .rejected: totals.filesRejected = row[1]
            case .duplicate: totals.filesDuplicate = row[1]
            case nil: break
            }
        }
        if let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), COALESCE(SUM(sum_ore), 0) FROM export_batch WHERE state = 'published' AND channel = 'DEBTOR'
            """) {
            totals.exportFiles = row[0]
            totals.exportedSum = Amount(ore: row[1])
        }
        // Payments with a part in a delivered debtor file: parts up to the highest delivered
        // range of each series are delivered (batches of a series cover consecutive ranges).
        totals.paymentsExported = try Int.fetchOne(db, sql: """
            SELECT COUNT(DISTINCT a.payment_id) FROM allocation_part a
            WHERE a.channel = 'DEBTOR' AND a.void_id IS NULL
              AND a.id <= (SELECT COALESCE(MIN(through), 0) FROM (
                    SELECT s.name, COALESCE(MAX(b.through_part_id), s.start_after_part_id) AS through
                    FROM export_series s LEFT JOIN export_batch b ON b.series = s.name AND b.state = 'published'
                    WHERE s.channel = 'DEBTOR' GROUP BY s.name))
            """) ?? 0
        totals.lastSuccessfulCycle = try Int.fetchOne(db, sql: """
            SELECT started_at FROM cycle WHERE command = 'cycle' AND result = 'ok' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1
            """).map(Instant.init(row:))
        return totals
    }

    func lastCycle() throws -> CycleView? {
        try Row.fetchOne(db, sql: "SELECT started_at, finished_at, result, summary FROM cycle ORDER BY id DESC LIMIT 1").map { row in
            let finished: Int? = row[1]
            return CycleView(startedAt: Instant(row: row[0]), finishedAt: finished.map(Instant.init(row:)), result: row[2], summaryJSON: row[3])
        }
    }

    func unpublishedBatches() throws -> [StoredBatch] {
        try Row.fetchAll(db, sql: "SELECT \(SQLiteCycleSession.batchColumns) FROM export_batch WHERE state = 'prepared' ORDER BY id")
            .map(SQLiteCycleSession.batch)
    }

    func publishedFiles(since: Instant) throws -> [PublishedFileView] {
        try Row.fetchAll(db, sql: """
            SELECT series, file_name, outbox_path, published_at FROM export_batch
            WHERE state = 'published' AND published_at >= ? ORDER BY id
            """, arguments: [since.millisecondsSinceEpoch]).map { row in
            PublishedFileView(series: row[0], fileName: row[1], outboxPath: row[2], publishedAt: Instant(row: row[3]))
        }
    }

    func kioskArrivals(since: Instant) throws -> [String: [Instant]] {
        var arrivals: [String: [Instant]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT kiosk_id, received_at FROM kiosk_file
            WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL AND received_at >= ? ORDER BY received_at
            """, arguments: [since.millisecondsSinceEpoch]) {
            arrivals[row[0], default: []].append(Instant(row: row[1]))
        }
        return arrivals
    }

    func alertState() throws -> AlertState? {
        try Row.fetchOne(db, sql: "SELECT level, changed_at, summary FROM alert_state WHERE id = 1").map { row in
            AlertState(level: row[0], changedAt: Instant(row: row[1]), summary: row[2])
        }
    }
}

extension SQLiteCycleSession {
    func recordDayClosing(_ closing: DayClosing) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO day_closing (kiosk_id, date, cumulative_received_ore, recorded_at) VALUES (?, ?, ?, ?)
            """, arguments: [closing.kioskID, closing.date.description, closing.cumulativeReceived.ore,
                             closing.recordedAt.millisecondsSinceEpoch])
    }

    func setAlertState(_ state: AlertState) throws {
        try db.execute(sql: """
            INSERT INTO alert_state (id, level, changed_at, summary) VALUES (1, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET level = excluded.level, changed_at = excluded.changed_at, summary = excluded.summary
            """, arguments: [state.level, state.changedAt.millisecondsSinceEpoch, state.summary])
        try trail.append(at: state.changedAt, "status", 1, state.level, cause: state.summary)
    }
}
