import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// The steps of a cycle in PostgreSQL.
///
/// Only the lease holder runs cycles, but the desk writes beside it (its access log, and
/// in time the tills' payments): the pending pass therefore takes the files pending when
/// it starts, by id, and `finishAllocation` marks exactly those. The export's order of a
/// cycle's parts is written down (`ordinal`), never inferred from ids.
final class PostgresCycleSession: CycleSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    /// The files whose payments the pending pass read: allocated once the pass is finished.
    private var pendingFiles: [RowID]?
    private var draftsCreated = false
    private var cursorOpen = false
    /// The parts FBS would not take that this cycle allocated again.
    private var reallocated: [ReleasedFBSPart] = []

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    func startCycle(at: Instant, command: String) async throws -> RowID {
        guard let row = try await transaction.row("""
            INSERT INTO §cycle (command, started_at) VALUES (\(command), \(at.millisecondsSinceEpoch)) RETURNING id
            """) else { throw StoreError(.corrupt, "the new cycle's row was not returned", backend: PostgresBridgeStore.backend) }
        return try row.int64("id")
    }

    func finishCycle(id: RowID, at: Instant, result: String, summaryJSON: String) async throws {
        try await transaction.execute("""
            UPDATE §cycle SET finished_at = \(at.millisecondsSinceEpoch), result = \(result), summary = \(summaryJSON) WHERE id = \(id)
            """)
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await PostgresClaimsSession.snapshots(transaction)
    }

    // MARK: Reversals

    static let partColumns = ["payment_id", "void_id", "position", "kind", "claim_id", "channel", "amount_ore", "cycle_id",
                              "allocated_at", "ordinal"]

    func createPendingReversals(cycleID: RowID, at: Instant) async throws -> Int {
        try await transaction.execute(PostgresQuery(unsafeSQL: FBSPartSchema.settleVoided(table: { "§" + $0 }, at: "\(at.millisecondsSinceEpoch)")))
        let voids = try await transaction.rows("""
            SELECT id, payment_id FROM §void WHERE effect = 'reversal' AND reversed_cycle IS NULL
            ORDER BY voided_at, kiosk_id, void_id
            """).map { (void: try $0.int64("id"), payment: try $0.int64("payment_id")) }
        guard !voids.isEmpty else { return 0 }
        var partsByPayment: [RowID: [AllocationPart]] = [:]
        for row in try await transaction.rows("""
            SELECT payment_id, kind, claim_id, channel, amount_ore FROM §allocation_part
            WHERE payment_id = ANY(\(voids.map(\.payment))) AND void_id IS NULL ORDER BY payment_id, position
            """) {
            if let part = try Self.part(row) { partsByPayment[try row.int64("payment_id"), default: []].append(part) }
        }
        // The reversal of a part that never left for FBS, or was allocated again, goes nowhere either.
        var cancelled = Set<FBSPartKey>()
        for row in try await transaction.rows("""
            SELECT payment_id, position FROM §fbs_part WHERE payment_id = ANY(\(voids.map(\.payment))) AND state IN ('cancelled', 'released')
            """) {
            cancelled.insert(FBSPartKey(payment: try row.int64("payment_id"), position: try row.int("position")))
        }
        var ordinal = try await nextOrdinal(cycleID: cycleID)
        var written: [(payment: RowID, void: RowID, position: Int, part: AllocationPart, ordinal: Int64)] = []
        var runs: [String: (parts: Int, sum: Int, voids: Int)] = [:]
        for void in voids {
            let parts = partsByPayment[void.payment] ?? []
            let reversal = AllocationPart.reversal(of: parts)
            for (index, part) in reversal.enumerated() {
                written.append((void.payment, void.void, index + 1, part, ordinal))
                ordinal += 1
            }
            let exported = reversal.enumerated().filter { !cancelled.contains(FBSPartKey(payment: void.payment, position: $0.offset + 1)) }
                .map(\.element)
            for channel in Set(exported.map(\.channel.rawValue)) {
                let mine = exported.filter { $0.channel.rawValue == channel }
                let current = runs[channel] ?? (0, 0, 0)
                runs[channel] = (current.parts + mine.count, current.sum + mine.reduce(0) { $0 + $1.amount.ore }, current.voids + 1)
            }
            trail.append(at: at, "void", void.void, "reversed", cause: CycleTrail.reversed(parts), cycle: cycleID)
        }
        try await transaction.copy(into: "allocation_part", columns: Self.partColumns, written) { item, text in
            text.add(item.payment)
            text.add(item.void)
            text.add(item.position)
            text.add(item.part.kind.rawValue)
            text.add(item.part.claimID)
            text.add(item.part.channel.rawValue)
            text.add(item.part.amount.ore)
            text.add(cycleID)
            text.add(at.millisecondsSinceEpoch)
            text.add(item.ordinal)
        }
        try await transaction.execute("UPDATE §void SET reversed_cycle = \(cycleID) WHERE id = ANY(\(voids.map(\.void)))")
        for (channel, run) in runs.sorted(by: { $0.key < $1.key }) {
            try await PostgresAllocationRuns.add(transaction, cycle: cycleID, channel: channel, parts: run.parts, sum: run.sum, payments: 0,
                                                 reversals: run.voids)
        }
        return voids.count
    }

    /// The next free place in the export's order of the cycle's parts.
    private func nextOrdinal(cycleID: RowID) async throws -> Int64 {
        try await transaction.row("SELECT COALESCE(MAX(ordinal), 0) + 1 AS next FROM §allocation_part WHERE cycle_id = \(cycleID)")?
            .int64("next") ?? 1
    }

    static func part(_ row: PostgresStoredRow) throws -> AllocationPart? {
        guard let kind = AllocationPart.Kind(rawValue: try row.text("kind")), let channel = PaymentChannel(rawValue: try row.text("channel")) else {
            return nil
        }
        return AllocationPart(kind: kind, claimID: try row.optionalText("claim_id"), channel: channel, amount: Amount(ore: try row.int("amount_ore")))
    }

    // MARK: Allocation

    func pendingPayments(payersPerRound: Int, paymentsPerRound: Int, paymentsPerCycle: Int) async throws -> any PendingPaymentRounds {
        let pending = PendingFiles(try await transaction.rows("""
            SELECT id, payments_booked FROM §kiosk_file WHERE verdict = 'accepted' AND allocated_cycle IS NULL ORDER BY id
            """).map { (id: try $0.int64("id"), payments: try $0.int("payments_booked")) }, paymentsPerCycle: paymentsPerCycle)
        let files = pending.taken
        pendingFiles = files
        if cursorOpen { try await transaction.execute("CLOSE pending_payments") }
        cursorOpen = true
        // One sorted pass through a cursor of this transaction, fetched a page at a time.
        // Neither payments nor parts are written during the pass (parts wait in a temporary
        // table until `finishAllocation`).
        // With them, the parts FBS would not take, to be allocated again (FBSPartSchema).
        try await transaction.execute("""
            DECLARE pending_payments NO SCROLL CURSOR FOR
            SELECT id, payer, claim_type, paid_at, kiosk_id, transaction_id, amount_ore,
                   NULL::BIGINT AS released_position, NULL::TEXT AS released_fee, NULL::BIGINT AS next_position
            FROM §payment
            WHERE file_id = ANY(\(files)) AND state = 'received'
            UNION ALL
            \(unescaped: FBSPartSchema.releasedAsPending(table: { "§" + $0 }))
            ORDER BY payer, claim_type, paid_at, kiosk_id, transaction_id, released_position
            """)
        return PostgresPendingRounds(session: self, left: pending.left,
                                     cutter: PendingRoundCutter(payersPerRound: payersPerRound, paymentsPerRound: paymentsPerRound))
    }

    func recordAllocations(_ allocations: [PaymentAllocation], cycleID: RowID, at: Instant) async throws {
        if !draftsCreated {
            try await transaction.execute("""
                CREATE TEMPORARY TABLE allocation_draft (
                    paid_at BIGINT NOT NULL, kiosk_id TEXT COLLATE "C" NOT NULL, transaction_id TEXT COLLATE "C" NOT NULL,
                    payment_id BIGINT NOT NULL, position BIGINT NOT NULL, kind TEXT NOT NULL, claim_id TEXT, channel TEXT NOT NULL,
                    amount_ore BIGINT NOT NULL, fbs_state TEXT, fee_amount_ore BIGINT, fbs_reason TEXT
                ) ON COMMIT DROP
                """)
            draftsCreated = true
        }
        let rows = allocations.lazy.flatMap { allocation in
            allocation.parts.enumerated().map {
                (allocation.payment, allocation.payment.firstPosition + $0.offset, $0.element, allocation.fbs[$0.offset + 1])
            }
        }
        reallocated += allocations.flatMap(\.payment.reallocating)
        try await transaction.copy(into: "pg_temp.allocation_draft", columns: [
            "paid_at", "kiosk_id", "transaction_id", "payment_id", "position", "kind", "claim_id", "channel", "amount_ore",
            "fbs_state", "fee_amount_ore", "fbs_reason",
        ], rows) { item, text in
            let (payment, position, part, plan) = item
            text.add(payment.key.paidAt.millisecondsSinceEpoch)
            text.add(payment.key.kioskID)
            text.add(payment.key.transactionID)
            text.add(payment.rowID)
            text.add(position)
            text.add(part.kind.rawValue)
            text.add(part.claimID)
            text.add(part.channel.rawValue)
            text.add(part.amount.ore)
            text.add(plan?.state.rawValue)
            text.add(plan?.feeAmount?.ore)
            text.add(plan?.reason)
        }
    }

    func finishAllocation(cycleID: RowID, at: Instant) async throws {
        if draftsCreated { try await writeDrafts(cycleID: cycleID, at: at) }
        if let files = pendingFiles, !files.isEmpty {
            // Every file the pass read has had its turn in this transaction.
            try await transaction.execute("UPDATE §kiosk_file SET allocated_cycle = \(cycleID) WHERE id = ANY(\(files))")
        }
        pendingFiles = nil
        if cursorOpen { try await transaction.execute("CLOSE pending_payments") }
        cursorOpen = false
    }

    /// The parts FBS would not take that this cycle allocated again: taken, with a trail row each.
    private func markReallocated(cycleID: RowID, at: Instant) async throws {
        for part in reallocated {
            try await transaction.execute("""
                UPDATE §fbs_part SET reallocated_cycle = \(cycleID)
                WHERE payment_id = \(part.key.payment) AND position = \(part.key.position) AND state = 'released'
                """)
            trail.append(at: at, "payment", part.key.payment, "fbs-reallocated", cause: FBSPartSchema.reallocated(part, cycle: cycleID),
                         cycle: cycleID)
        }
        reallocated = []
    }

    /// Writes the drafts in the order the payments were paid (allocation.md), numbered after
    /// the cycle's reversals: the export's order.
    private func writeDrafts(cycleID: RowID, at: Instant) async throws {
        let first = try await nextOrdinal(cycleID: cycleID)
        try await transaction.execute("""
            INSERT INTO §allocation_part (payment_id, void_id, position, kind, claim_id, channel, amount_ore, cycle_id, allocated_at, ordinal)
            SELECT payment_id, NULL, position, kind, claim_id, channel, amount_ore, \(cycleID), \(at.millisecondsSinceEpoch),
                   \(first - 1) + ROW_NUMBER() OVER (ORDER BY paid_at, kiosk_id, transaction_id, position)
            FROM pg_temp.allocation_draft
            """)
        // The intents for FBS, with the parts; a part waiting for FBS is in no export run.
        try await transaction.execute("""
            INSERT INTO §fbs_part (payment_id, position, fee_id, order_id, amount_ore, fee_amount_ore, state, reason, tries, created_at,
                                   handed_over_cycle, reallocated_cycle)
            SELECT payment_id, position, claim_id, 'kb-' || kiosk_id || '-' || transaction_id, amount_ore, fee_amount_ore, fbs_state,
                   fbs_reason, 0, \(at.millisecondsSinceEpoch), CASE WHEN fbs_state = 'worklist' THEN \(cycleID) ELSE NULL END,
                   CASE WHEN fbs_state = 'released' THEN \(cycleID) ELSE NULL END
            FROM pg_temp.allocation_draft WHERE fbs_state IS NOT NULL ORDER BY payment_id, position
            """)
        try await markReallocated(cycleID: cycleID, at: at)
        var partCount = 0
        for run in try await transaction.rows("""
            SELECT channel, COUNT(*) AS parts, SUM(amount_ore)::BIGINT AS sum_ore, COUNT(DISTINCT payment_id) AS payments
            FROM pg_temp.allocation_draft WHERE fbs_state IS NULL OR fbs_state = 'worklist' GROUP BY channel ORDER BY channel
            """) {
            let parts = try run.int("parts")
            try await PostgresAllocationRuns.add(transaction, cycle: cycleID, channel: try run.text("channel"), parts: parts,
                                                 sum: try run.int("sum_ore"), payments: try run.int("payments"), reversals: 0)
            partCount += parts
        }
        let payments = try await transaction.row("SELECT COUNT(*) AS payments FROM pg_temp.allocation_draft WHERE position = 1")?
            .int("payments") ?? 0
        try await transaction.execute("DROP TABLE pg_temp.allocation_draft")
        draftsCreated = false
        if payments > 0 {
            trail.append(at: at, "cycle", cycleID, "allocated", cause: CycleTrail.allocated(payments: payments, parts: partCount), cycle: cycleID)
        }
    }

    /// The next page of the pending pass.
    func fetchPending(_ count: Int) async throws -> [PostgresStoredRow] {
        try await transaction.rows(PostgresQuery(unsafeSQL: "FETCH \(count) FROM pending_payments"))
    }

    // MARK: Batches

    func registerSeries(_ series: ExportSeries, at: Instant) async throws {
        try await transaction.execute("""
            INSERT INTO §export_series (name, channel, prefix, start_after_part_id, registered_at, start_after_cycle)
            VALUES (\(series.name), \(series.channel.rawValue), \(series.prefix), 0, \(at.millisecondsSinceEpoch),
                    (SELECT COALESCE(MAX(r.cycle_id), 0) FROM §export_batch_run r
                     JOIN §export_batch b ON b.id = r.batch_id WHERE b.channel = \(series.channel.rawValue)))
            ON CONFLICT (name) DO NOTHING
            """)
    }

    static let batchColumns = ["id", "series", "channel", "sequence", "batch_id", "file_name", "created_at", "lines", "sum_ore", "state",
                               "cycle_id", "published_at"]

    /// The columns ``batch(_:)`` reads, of the table `alias` (or unqualified).
    static func batchColumns(_ alias: String = "") -> String {
        batchColumns.map { alias.isEmpty ? $0 : alias + "." + $0 }.joined(separator: ", ")
    }

    static func batch(_ row: PostgresStoredRow) throws -> StoredBatch {
        let series = try row.text("series")
        let info = ExportBatchInfo(batchID: try row.text("batch_id"), sequence: try row.int("sequence"),
                                   createdAt: Instant(millisecondsSinceEpoch: try row.int("created_at")), lineCount: try row.int("lines"),
                                   sum: Amount(ore: try row.int("sum_ore")), profile: series)
        return StoredBatch(id: try row.int64("id"), series: series, channel: PaymentChannel(rawValue: try row.text("channel")) ?? .debtor,
                           sequence: try row.int("sequence"), fileName: try row.text("file_name"), info: info,
                           state: StoredBatch.State(rawValue: try row.text("state")) ?? .prepared, cycleID: try row.optionalInt64("cycle_id"),
                           publishedAt: try row.optionalInt("published_at").map { Instant(millisecondsSinceEpoch: $0) })
    }

    func preparedBatches() async throws -> [StoredBatch] {
        try await transaction.rows("SELECT \(unescaped: Self.batchColumns()) FROM §export_batch WHERE state = 'prepared' ORDER BY id")
            .map(Self.batch)
    }

    func prepareBatch(series: ExportSeries, createdAt: Instant, cycleID: RowID, includeEmpty: Bool) async throws -> StoredBatch? {
        // The runs of the series' channel after the last one it carried. Only the newest
        // batch of a series can be given up, so every run below that one is carried.
        guard let floor = try await transaction.row("""
            SELECT GREATEST(start_after_cycle, COALESCE((SELECT MAX(cycle_id) FROM §export_batch_run WHERE series = \(series.name)), 0)) AS floor
            FROM §export_series WHERE name = \(series.name)
            """)?.int64("floor") else { return nil }
        let runs = try await transaction.rows("""
            SELECT cycle_id, parts, sum_ore FROM §allocation_run WHERE channel = \(series.channel.rawValue) AND cycle_id > \(floor) ORDER BY cycle_id
            """).map { (cycle: try $0.int64("cycle_id"), parts: try $0.int("parts"), sum: try $0.int("sum_ore")) }
        let lines = runs.reduce(0) { $0 + $1.parts }
        let sum = runs.reduce(0) { $0 + $1.sum }
        if lines == 0 && !includeEmpty { return nil }
        let sequence = (try await transaction.row("SELECT MAX(sequence) AS sequence FROM §export_batch WHERE series = \(series.name)")?
            .optionalInt("sequence") ?? 0) + 1
        let fileName = ExportFileName.make(prefix: series.prefix, createdAt: createdAt, sequence: sequence, fileExtension: series.fileExtension)
        let batchID = ExportFileName.batchID(prefix: series.prefix, createdAt: createdAt, sequence: sequence)
        guard let row = try await transaction.row("""
            INSERT INTO §export_batch (series, channel, sequence, batch_id, file_name, created_at, after_part_id, through_part_id,
                                       lines, sum_ore, state, cycle_id)
            VALUES (\(series.name), \(series.channel.rawValue), \(sequence), \(batchID), \(fileName), \(createdAt.millisecondsSinceEpoch), 0, 0,
                    \(lines), \(sum), 'prepared', \(cycleID))
            RETURNING \(unescaped: Self.batchColumns())
            """) else { throw StoreError(.corrupt, "the new batch's row was not returned", backend: PostgresBridgeStore.backend) }
        let batch = try Self.batch(row)
        if !runs.isEmpty {
            try await transaction.execute("""
                INSERT INTO §export_batch_run (series, cycle_id, batch_id)
                SELECT \(series.name), cycle, \(batch.id) FROM unnest(\(runs.map(\.cycle))) AS cycle
                """)
        }
        trail.append(at: createdAt, "batch", batch.id, "prepared", cause: CycleTrail.prepared(fileName: fileName, lines: lines, sum: sum),
                     batch: batch.id, cycle: cycleID)
        return batch
    }

    func markPublished(batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at: Instant,
                       cycleID: RowID?, anchor: TrailHead?) async throws {
        // The batch's row is the trail's word for every payment and reversal it carried.
        let cycles = try await transaction.rows("""
            SELECT cycle_id FROM §export_batch_run WHERE batch_id = \(batch.id) ORDER BY cycle_id
            """).map { try $0.int64("cycle_id") }
        trail.append(at: at, "batch", batch.id, "published",
                     cause: CycleTrail.published(outboxPath: outboxPath, sha256: sha256, channel: batch.channel, cycles: cycles),
                     batch: batch.id, cycle: batch.cycleID)
        try await transaction.execute("""
            UPDATE §export_batch SET state = 'published', sha256 = \(sha256), outbox_path = \(outboxPath), archive_path = \(archivePath),
                published_at = \(at.millisecondsSinceEpoch), trail_head_id = \(anchor?.rowID), trail_head_hash = \(anchor?.sha256),
                published_cycle_id = \(cycleID ?? batch.cycleID)
            WHERE id = \(batch.id)
            """)
        if batch.channel == .debtor {
            try await transaction.execute(PostgresQuery(unsafeSQL: DebtorConfirmationSchema.recordExports(
                table: { "§" + $0 }, cycles: cycles, exportedAt: batch.info.createdAt)))
        }
    }

    func abandonBatch(_ batch: StoredBatch, reason: String, at: Instant) async throws -> Bool {
        let newest = try await transaction.row("""
            SELECT state = 'prepared' AND NOT EXISTS (SELECT 1 FROM §export_batch later WHERE later.series = \(batch.series)
                                                     AND later.sequence > \(batch.sequence)) AS newest
            FROM §export_batch WHERE id = \(batch.id)
            """)?.bool("newest") ?? false
        guard newest else { return false }
        try await transaction.execute("DELETE FROM §export_batch_run WHERE batch_id = \(batch.id)")
        try await transaction.execute("DELETE FROM §export_batch WHERE id = \(batch.id)")
        trail.append(at: at, "batch", batch.id, "abandoned", cause: CycleTrail.abandoned(fileName: batch.fileName, reason: reason),
                     batch: batch.id, cycle: batch.cycleID)
        return true
    }

    func exportedCounts(cycleID: RowID) async throws -> ExportedCounts {
        // The parts of the runs this cycle's batches delivered. A payment's parts (and a
        // void's) are consecutive in a run's order, so counting each distinct one is the
        // same as counting it at its first part (``ExportedCounts/Counter``), done here by
        // the server instead of reading every part. The runs are read first and named in
        // the count: joined to them, the planner cannot know their cycles and scanned every
        // part ever allocated (394 ms on a million payments, against 3 ms by the index).
        let runs = try await transaction.rows("""
            SELECT DISTINCT r.cycle_id, b.channel FROM §export_batch b JOIN §export_batch_run r ON r.batch_id = b.id
            WHERE b.published_cycle_id = \(cycleID)
            """).map { (cycle: try $0.int64("cycle_id"), channel: try $0.text("channel")) }
        guard !runs.isEmpty else { return ExportedCounts() }
        guard let row = try await transaction.row("""
            SELECT COUNT(DISTINCT a.payment_id) FILTER (WHERE a.void_id IS NULL) AS payments,
                   COUNT(DISTINCT a.void_id) AS reversals,
                   COUNT(*) FILTER (WHERE a.kind = 'SURPLUS') AS surplus_payments,
                   COALESCE(SUM(a.amount_ore) FILTER (WHERE a.kind = 'SURPLUS'), 0)::BIGINT AS surplus_ore
            FROM §allocation_part a
            WHERE a.cycle_id = ANY(\(runs.map(\.cycle))) AND a.channel = ANY(\(runs.map(\.channel)))
              AND a.cycle_id::TEXT || ' ' || a.channel = ANY(\(runs.map { "\($0.cycle) \($0.channel)" }))
            """) else { return ExportedCounts() }
        var counts = ExportedCounts()
        counts.payments = try row.int("payments")
        counts.reversals = try row.int("reversals")
        counts.surplusPayments = try row.int("surplus_payments")
        counts.surplusSum = Amount(ore: try row.int("surplus_ore"))
        return counts
    }
}

/// The pending payments of a cycle, read from one cursor a page at a time.
final class PostgresPendingRounds: PendingPaymentRounds {
    private let session: PostgresCycleSession
    private var cutter: PendingRoundCutter
    private var page: [PostgresStoredRow] = []
    private var position = 0
    private var exhausted = false
    static let pageSize = 10_000

    let left: FilesLeft

    init(session: PostgresCycleSession, left: FilesLeft, cutter: PendingRoundCutter) {
        self.session = session
        self.left = left
        self.cutter = cutter
    }

    private func nextRow() async throws -> PostgresStoredRow? {
        if position >= page.count {
            guard !exhausted else { return nil }
            page = try await session.fetchPending(Self.pageSize)
            position = 0
            if page.count < Self.pageSize { exhausted = true }
            if page.isEmpty { return nil }
        }
        position += 1
        return page[position - 1]
    }

    func next() async throws -> [PendingGroup]? {
        var round = cutter.startRound()
        while let row = try await nextRow() {
            let amount = Amount(ore: try row.int("amount_ore"))
            let released = try row.optionalInt("released_position").map { position in
                [ReleasedFBSPart(key: FBSPartKey(payment: try row.int64("id"), position: position),
                                 feeID: try row.optionalText("released_fee") ?? "", amount: amount)]
            }
            let payment = PendingPayment(rowID: try row.int64("id"),
                                         key: AllocationOrder.PaymentKey(paidAt: Instant(millisecondsSinceEpoch: try row.int("paid_at")),
                                                                         kioskID: try row.text("kiosk_id"),
                                                                         transactionID: try row.text("transaction_id")),
                                         amount: amount, reallocating: released ?? [],
                                         firstPosition: try row.optionalInt("next_position") ?? 1)
            guard cutter.add(PendingRow(payer: try row.text("payer"), type: try row.text("claim_type"), payment: payment), to: &round) else {
                break
            }
        }
        if round.isEmpty { return nil }
        return round.groups(evidence: try await PostgresClaimEvidence(transaction: session.transaction).read(payers: round.payers))
    }
}
