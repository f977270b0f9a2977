import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// Refused payment records that count as received: those not later corrected by a booked
/// payment with the same transaction id (a conflict is never a correction).
private let countedRejections = """
    r.record_type = 'D' AND r.amount_ore IS NOT NULL
    AND (r.reason_code = 'record.conflict' OR r.transaction_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM §payment c WHERE c.kiosk_id = COALESCE(r.kiosk_id, f.kiosk_id) AND c.transaction_id = r.transaction_id))
    """

/// The queries behind reconciliation, status and metrics in PostgreSQL, on one snapshot.
final class PostgresOperationsSession: OperationsSession {
    let transaction: PostgresTransaction

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    private func instant(_ row: PostgresStoredRow, _ column: String) throws -> Instant {
        Instant(millisecondsSinceEpoch: try row.int(column))
    }

    func dayPayments(from: Instant, to: Instant) async throws -> [DayPayment] {
        try await transaction.rows("""
            SELECT p.kiosk_id, p.location, p.transaction_id, p.receipt, p.tender, p.claim_type, p.amount_ore, v.effect, p.operator_id,
                   EXISTS (SELECT 1 FROM §allocation_part a JOIN §export_batch_run r ON r.cycle_id = a.cycle_id
                           JOIN §export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                           WHERE a.payment_id = p.id AND a.void_id IS NULL AND b.state = 'published')
                       OR \(unescaped: FBSPartSchema.registeredPart(table: { "§" + $0 })) AS exported,
                   COALESCE((SELECT SUM(amount_ore) FROM §allocation_part a WHERE a.payment_id = p.id AND a.kind = 'SURPLUS'), 0)::BIGINT AS surplus
            FROM §payment p LEFT JOIN §void v ON v.payment_id = p.id
            WHERE p.paid_at >= \(from.millisecondsSinceEpoch) AND p.paid_at < \(to.millisecondsSinceEpoch)
            ORDER BY p.kiosk_id, p.paid_at, p.transaction_id
            """).map { row in
            DayPayment(kioskID: try row.text("kiosk_id"), location: try row.text("location"), transactionID: try row.text("transaction_id"),
                       receipt: try row.text("receipt"), tender: try row.text("tender"), claimType: try row.text("claim_type"),
                       amount: Amount(ore: try row.int("amount_ore")), voided: try row.optionalText("effect").flatMap(VoidEffect.init(rawValue:)),
                       exported: try row.bool("exported"), surplus: Amount(ore: try row.int("surplus")),
                       operatorID: try row.optionalText("operator_id"))
        }
    }

    func dayRejectedRecords(from: Instant, to: Instant) async throws -> [DayRejectedRecord] {
        try await transaction.rows("""
            SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)') AS kiosk, r.transaction_id, r.receipt, r.amount_ore, r.reason,
                   f.name AS file_name, r.line, r.whole_file
            FROM §rejected_record r JOIN §kiosk_file f ON f.id = r.file_id
            WHERE COALESCE(r.paid_at, r.rejected_at) >= \(from.millisecondsSinceEpoch) AND COALESCE(r.paid_at, r.rejected_at) < \(to.millisecondsSinceEpoch)
              AND \(unescaped: countedRejections)
            ORDER BY 1, r.id
            """).map { row in
            DayRejectedRecord(kioskID: try row.text("kiosk"), transactionID: try row.optionalText("transaction_id"),
                              receipt: try row.optionalText("receipt"), amount: Amount(ore: try row.int("amount_ore")),
                              reason: try row.text("reason"), fileName: try row.text("file_name"), line: try row.int("line"),
                              wholeFile: try row.bool("whole_file"))
        }
    }

    func exportedShares(from: Instant, to: Instant) async throws -> [ExportedShare] {
        try await transaction.rows("""
            SELECT p.kiosk_id, b.series, b.file_name, COUNT(*) AS lines, SUM(a.amount_ore)::BIGINT AS sum_ore
            FROM §payment p
            JOIN §allocation_part a ON a.payment_id = p.id
            JOIN §export_batch_run r ON r.cycle_id = a.cycle_id
            JOIN §export_batch b ON b.id = r.batch_id AND b.channel = a.channel
            WHERE p.paid_at >= \(from.millisecondsSinceEpoch) AND p.paid_at < \(to.millisecondsSinceEpoch) AND b.state = 'published'
            GROUP BY p.kiosk_id, b.series, b.file_name
            ORDER BY p.kiosk_id, b.series, MIN(b.id)
            """).map { row in
            ExportedShare(kioskID: try row.text("kiosk_id"), series: try row.text("series"), fileName: try row.text("file_name"),
                          lines: try row.int("lines"), sum: Amount(ore: try row.int("sum_ore")))
        }
    }

    func confirmedShares(from: Instant, to: Instant) async throws -> [ConfirmedShare] {
        try await transaction.rows("""
            SELECT kiosk_id, COUNT(*) AS exported_count, SUM(amount_ore)::BIGINT AS exported_ore, COUNT(confirmation_id) AS confirmed_count,
                   COALESCE(SUM(CASE WHEN confirmation_id IS NOT NULL THEN amount_ore END), 0)::BIGINT AS confirmed_ore
            FROM §debtor_export WHERE taken_at >= \(from.millisecondsSinceEpoch) AND taken_at < \(to.millisecondsSinceEpoch)
            GROUP BY kiosk_id ORDER BY kiosk_id
            """).map { row in
            ConfirmedShare(kioskID: try row.text("kiosk_id"), exportedCount: try row.int("exported_count"),
                           exported: Amount(ore: try row.int("exported_ore")), confirmedCount: try row.int("confirmed_count"),
                           confirmed: Amount(ore: try row.int("confirmed_ore")))
        }
    }

    /// An unconfirmed export's columns, from `debtor_export e` with its payment `p` and void `v`.
    private static let unconfirmedSource = """
        SELECT e.subject, e.kiosk_id, COALESCE(v.void_id, p.transaction_id) AS transaction_id, p.receipt, e.taken_at, e.exported_at,
               e.amount_ore
        FROM §debtor_export e
        LEFT JOIN §void v ON e.subject = 'void' AND v.id = e.subject_id
        JOIN §payment p ON p.id = CASE WHEN e.subject = 'void' THEN v.payment_id ELSE e.subject_id END
        """

    private static func unconfirmed(_ row: PostgresStoredRow) throws -> UnconfirmedExport {
        UnconfirmedExport(isReversal: try row.text("subject") == "void", kioskID: try row.text("kiosk_id"),
                          transactionID: try row.text("transaction_id"), receipt: try row.text("receipt"),
                          takenAt: Instant(millisecondsSinceEpoch: try row.int("taken_at")),
                          exportedAt: Instant(millisecondsSinceEpoch: try row.int("exported_at")), amount: Amount(ore: try row.int("amount_ore")))
    }

    func unconfirmedExports(from: Instant, to: Instant, limit: Int) async throws -> [UnconfirmedExport] {
        try await transaction.rows("""
            \(unescaped: Self.unconfirmedSource)
            WHERE e.confirmation_id IS NULL AND e.taken_at >= \(from.millisecondsSinceEpoch) AND e.taken_at < \(to.millisecondsSinceEpoch)
            ORDER BY e.exported_at, e.subject, e.subject_id LIMIT \(limit)
            """).map(Self.unconfirmed)
    }

    func dayFBSParts(from: Instant, to: Instant) async throws -> [DayFBSPart] {
        try await transaction.rows(PostgresQuery(unsafeSQL: FBSPartSchema.dayParts(
            table: { "§" + $0 }, from: "\(from.millisecondsSinceEpoch)", to: "\(to.millisecondsSinceEpoch)"))).compactMap { row in
            guard let state = FBSPartState(rawValue: try row.text("state")) else { return nil }
            return DayFBSPart(kioskID: try row.text("kiosk_id"), receipt: try row.text("receipt"), transactionID: try row.text("transaction_id"),
                              feeID: try row.text("fee_id"), amount: Amount(ore: try row.int("amount_ore")),
                              status: FBSPartStatus(state: state, confirmationID: try row.optionalText("confirmation_id"),
                                                    reason: try row.optionalText("reason")))
        }
    }

    func tillCloses(date: LocalDate) async throws -> [TillClose] {
        try await transaction.rows("""
            SELECT \(unescaped: TillSchema.closeColumns) FROM §till_close c
            WHERE date = \(date.description) AND id = (SELECT MAX(id) FROM §till_close l WHERE l.till_id = c.till_id AND l.date = c.date)
            ORDER BY till_id
            """).compactMap { row in
            guard let day = LocalDate(iso: try row.text("date")) else { return nil }
            return TillClose(id: try row.int64("id"), tillID: try row.text("till_id"), date: day, counted: Amount(ore: try row.int("counted_ore")),
                             registered: Amount(ore: try row.int("registered_ore")), staff: try row.text("staff"),
                             closedAt: Instant(millisecondsSinceEpoch: try row.int("closed_at")), note: try row.optionalText("note"))
        }
    }

    func fbsBacklog() async throws -> FBSBacklog {
        guard let row = try await transaction.row(PostgresQuery(unsafeSQL: FBSPartSchema.backlog(table: { "§" + $0 }))) else { return .none }
        return FBSBacklog(count: try row.int("count"), sum: Amount(ore: try row.int("sum_ore")),
                          oldestSince: try row.optionalInt("since").map { Instant(millisecondsSinceEpoch: $0) })
    }

    func overdueConfirmations(exportedBefore instant: Instant) async throws -> OverdueConfirmations {
        guard let totals = try await transaction.row("""
            SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0)::BIGINT AS sum_ore FROM §debtor_export
            WHERE confirmation_id IS NULL AND exported_at < \(instant.millisecondsSinceEpoch)
            """), try totals.int("count") > 0 else { return .none }
        let oldest = try await transaction.row("""
            \(unescaped: Self.unconfirmedSource)
            WHERE e.confirmation_id IS NULL AND e.exported_at < \(instant.millisecondsSinceEpoch)
            ORDER BY e.exported_at, e.subject, e.subject_id LIMIT 1
            """).map(Self.unconfirmed)
        return OverdueConfirmations(count: try totals.int("count"), sum: Amount(ore: try totals.int("sum_ore")), oldest: oldest)
    }

    func dayReceipts(kioskID: String, from: Instant, to: Instant) async throws -> [String] {
        let start = from.millisecondsSinceEpoch
        let end = to.millisecondsSinceEpoch
        return try await transaction.rows("""
            SELECT receipt FROM §payment WHERE kiosk_id = \(kioskID) AND paid_at >= \(start) AND paid_at < \(end)
            UNION
            SELECT r.receipt FROM §rejected_record r JOIN §kiosk_file f ON f.id = r.file_id
            WHERE COALESCE(r.kiosk_id, f.kiosk_id) = \(kioskID) AND r.receipt IS NOT NULL
              AND COALESCE(r.paid_at, r.rejected_at) >= \(start) AND COALESCE(r.paid_at, r.rejected_at) < \(end)
            """).map { try $0.text("receipt") }
    }

    func kiosksWithFiles(before instant: Instant) async throws -> Set<String> {
        Set(try await transaction.rows("""
            SELECT DISTINCT kiosk_id FROM §kiosk_file WHERE kiosk_id IS NOT NULL AND received_at < \(instant.millisecondsSinceEpoch)
            """).map { try $0.text("kiosk_id") })
    }

    func receivedBefore(_ instant: Instant) async throws -> [String: Amount] {
        try await receivedTally(before: instant, continuing: nil).total
    }

    func receivedTally(before instant: Instant, continuing mark: PaymentsMark?) async throws -> ReceivedTally {
        let cutoff = instant.millisecondsSinceEpoch
        let through = try await transaction.row("SELECT COALESCE(MAX(id), 0)::BIGINT AS through FROM §payment")?.int64("through") ?? 0
        var payments = mark?.received ?? [:]
        let paymentSums: PostgresQuery
        if let mark {
            paymentSums = """
                SELECT kiosk_id, SUM(amount_ore)::BIGINT AS sum_ore FROM (
                    SELECT kiosk_id, amount_ore FROM §payment WHERE id > \(mark.throughPayment) AND paid_at < \(cutoff)
                    UNION ALL
                    SELECT kiosk_id, amount_ore FROM §payment
                    WHERE paid_at >= \(mark.before.millisecondsSinceEpoch) AND paid_at < \(cutoff) AND id <= \(mark.throughPayment)
                ) since GROUP BY kiosk_id
                """
        } else {
            paymentSums = "SELECT kiosk_id, SUM(amount_ore)::BIGINT AS sum_ore FROM §payment WHERE paid_at < \(cutoff) GROUP BY kiosk_id"
        }
        for row in try await transaction.rows(paymentSums) {
            payments[try row.text("kiosk_id"), default: .zero] += Amount(ore: try row.int("sum_ore"))
        }
        var rejections: [String: Amount] = [:]
        for row in try await transaction.rows("""
            SELECT COALESCE(r.kiosk_id, f.kiosk_id, '(unknown kiosk)') AS kiosk_id, SUM(r.amount_ore)::BIGINT AS sum_ore
            FROM §rejected_record r JOIN §kiosk_file f ON f.id = r.file_id
            WHERE COALESCE(r.paid_at, r.rejected_at) < \(cutoff) AND \(unescaped: countedRejections)
            GROUP BY 1
            """) {
            rejections[try row.text("kiosk_id")] = Amount(ore: try row.int("sum_ore"))
        }
        return ReceivedTally(payments: payments, rejections: rejections, throughPayment: through)
    }

    func dayClosings(date: LocalDate) async throws -> [DayClosing] {
        try await transaction.rows("""
            SELECT \(unescaped: Self.closingColumns) FROM §day_closing WHERE date = \(date.description) ORDER BY kiosk_id
            """).compactMap(Self.closing)
    }

    func latestDayClosings(before date: LocalDate) async throws -> [DayClosing] {
        try await transaction.rows("""
            SELECT \(unescaped: Self.closingColumns) FROM §day_closing
            WHERE date = (SELECT MAX(date) FROM §day_closing WHERE date < \(date.description)) ORDER BY kiosk_id
            """).compactMap(Self.closing)
    }

    private static let closingColumns = "kiosk_id, date, cumulative_received_ore, recorded_at, payments_received_ore, through_payment"

    private static func closing(_ row: PostgresStoredRow) throws -> DayClosing? {
        guard let date = LocalDate(iso: try row.text("date")) else { return nil }
        return DayClosing(kioskID: try row.text("kiosk_id"), date: date, cumulativeReceived: Amount(ore: try row.int("cumulative_received_ore")),
                          recordedAt: Instant(millisecondsSinceEpoch: try row.int("recorded_at")),
                          paymentsReceived: try row.optionalInt("payments_received_ore").map { Amount(ore: $0) },
                          throughPayment: try row.optionalInt64("through_payment"))
    }

    func kioskFiles(from: Instant, to: Instant) async throws -> [KioskFileView] {
        try await transaction.rows("""
            SELECT kiosk_id, name, sequence, verdict, received_at, records, trailer_ore, reason FROM §kiosk_file
            WHERE received_at >= \(from.millisecondsSinceEpoch) AND received_at < \(to.millisecondsSinceEpoch) ORDER BY kiosk_id, sequence, id
            """).map { row in
            KioskFileView(kioskID: try row.optionalText("kiosk_id"), name: try row.text("name"), sequence: try row.optionalInt("sequence"),
                          verdict: FileVerdict(rawValue: try row.text("verdict")) ?? .rejected, receivedAt: try instant(row, "received_at"),
                          records: try row.int("records"), trailerSum: try row.optionalInt("trailer_ore").map(Amount.init(ore:)),
                          reason: try row.optionalText("reason"))
        }
    }

    func runningTotals() async throws -> RunningTotals {
        var totals = RunningTotals()
        if let row = try await transaction.row("""
            SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0)::BIGINT AS sum_ore, COUNT(*) FILTER (WHERE state = 'voided') AS voided
            FROM §payment
            """) {
            totals.paymentsBooked = try row.int("count")
            totals.paymentsBookedSum = Amount(ore: try row.int("sum_ore"))
            totals.paymentsVoided = try row.int("voided")
        }
        if let row = try await transaction.row("""
            SELECT COUNT(*) AS count, COALESCE(SUM(amount_ore), 0)::BIGINT AS sum_ore FROM §rejected_record WHERE record_type = 'D'
            """) {
            totals.recordsRejected = try row.int("count")
            totals.recordsRejectedSum = Amount(ore: try row.int("sum_ore"))
        }
        for row in try await transaction.rows("SELECT verdict, COUNT(*) AS count FROM §kiosk_file GROUP BY verdict") {
            switch FileVerdict(rawValue: try row.text("verdict")) {
            case .accepted: totals.filesAccepted = try row.int("count")
            case .rejected: totals.filesRejected = try row.int("count")
            case .duplicate: totals.filesDuplicate = try row.int("count")
            case nil: break
            }
        }
        if let row = try await transaction.row("""
            SELECT COUNT(*) AS count, COALESCE(SUM(sum_ore), 0)::BIGINT AS sum_ore FROM §export_batch
            WHERE state = 'published' AND channel = 'DEBTOR'
            """) {
            totals.exportFiles = try row.int("count")
            totals.exportedSum = Amount(ore: try row.int("sum_ore"))
        }
        // Payments with a part in a delivered debtor file: the payments of each debtor run
        // that a published batch carried.
        totals.paymentsExported = try await transaction.row("""
            SELECT COALESCE(SUM(ar.payments), 0)::BIGINT AS payments FROM §allocation_run ar
            WHERE ar.channel = 'DEBTOR' AND EXISTS (
                SELECT 1 FROM §export_batch_run r JOIN §export_batch b ON b.id = r.batch_id
                WHERE r.cycle_id = ar.cycle_id AND b.channel = 'DEBTOR' AND b.state = 'published')
            """)?.int("payments") ?? 0
        totals.lastSuccessfulCycle = try await transaction.row("""
            SELECT started_at FROM §cycle WHERE command = 'cycle' AND result = 'ok' AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1
            """).map { try instant($0, "started_at") }
        return totals
    }

    func lastCycle() async throws -> CycleView? {
        try await transaction.row("SELECT started_at, finished_at, result, summary FROM §cycle ORDER BY id DESC LIMIT 1").map { row in
            CycleView(startedAt: try instant(row, "started_at"), finishedAt: try row.optionalInt("finished_at").map { Instant(millisecondsSinceEpoch: $0) },
                      result: try row.optionalText("result"), summaryJSON: try row.optionalText("summary"))
        }
    }

    func unpublishedBatches() async throws -> [StoredBatch] {
        try await transaction.rows("""
            SELECT \(unescaped: PostgresCycleSession.batchColumns()) FROM §export_batch WHERE state = 'prepared' ORDER BY id
            """).map(PostgresCycleSession.batch)
    }

    func publishedFiles(since: Instant) async throws -> [PublishedFileView] {
        try await transaction.rows("""
            SELECT series, file_name, outbox_path, published_at FROM §export_batch
            WHERE state = 'published' AND published_at >= \(since.millisecondsSinceEpoch) ORDER BY id
            """).map { row in
            PublishedFileView(series: try row.text("series"), fileName: try row.text("file_name"), outboxPath: try row.text("outbox_path"),
                              publishedAt: try instant(row, "published_at"))
        }
    }

    func kioskArrivals(since: Instant) async throws -> [String: [Instant]] {
        var arrivals: [String: [Instant]] = [:]
        for row in try await transaction.rows("""
            SELECT kiosk_id, received_at FROM §kiosk_file
            WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL AND received_at >= \(since.millisecondsSinceEpoch) ORDER BY received_at, id
            """) {
            arrivals[try row.text("kiosk_id"), default: []].append(try instant(row, "received_at"))
        }
        return arrivals
    }

    func alertState() async throws -> AlertState? {
        try await transaction.row("SELECT level, changed_at, summary FROM §alert_state WHERE id = 1").map { row in
            AlertState(level: try row.text("level"), changedAt: try instant(row, "changed_at"), summary: try row.text("summary"))
        }
    }

    func sequenceGaps() async throws -> [SequenceGap] {
        try await transaction.rows("""
            SELECT kiosk_id, sequence, LEAD(sequence) OVER (PARTITION BY kiosk_id ORDER BY sequence) AS next
            FROM §kiosk_file WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL
            ORDER BY kiosk_id, sequence
            """).compactMap { row in
            let sequence = try row.int("sequence")
            guard let next = try row.optionalInt("next"), next > sequence + 1 else { return nil }
            return SequenceGap(kioskID: try row.text("kiosk_id"), missing: (sequence + 1)...(next - 1))
        }
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await PostgresClaimsSession.snapshots(transaction)
    }

    func leaseState() async throws -> LeaseState {
        try await PostgresLeaseSession.state(transaction)
    }
}
