import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// The steps of a cycle in SQLite.
///
/// Its state (cached statements, the pending pass, the trail's rows) is used by its
/// connection's thread only, one job at a time.
final class SQLiteCycleSession: CycleSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    private var partInsert: BulkStatement?
    private var draftInsert: BulkStatement?
    /// The files whose payments the pending pass read: allocated once the pass is finished.
    private var pendingFiles: [RowID]?
    /// The parts FBS would not take that this cycle allocated again.
    private var reallocated: [ReleasedFBSPart] = []

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    func startCycle(at: Instant, command: String) async throws -> RowID {
        try await connection.run { db in
            try db.execute(sql: "INSERT INTO cycle (command, started_at) VALUES (?, ?)", arguments: [command, at.millisecondsSinceEpoch])
            return db.lastInsertedRowID
        }
    }

    func finishCycle(id: RowID, at: Instant, result: String, summaryJSON: String) async throws {
        try await connection.run { db in
            try db.execute(sql: "UPDATE cycle SET finished_at = ?, result = ?, summary = ? WHERE id = ?",
                           arguments: [at.millisecondsSinceEpoch, result, summaryJSON, id])
        }
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await connection.run { db in try SQLiteClaimsSession.snapshots(db) }
    }

    // MARK: Reversals

    func createPendingReversals(cycleID: RowID, at: Instant) async throws -> Int {
        try await connection.run { db in
            try db.execute(sql: FBSPartSchema.settleVoided(at: "\(at.millisecondsSinceEpoch)"))
            let voids = try Row.fetchAll(db, sql: """
                SELECT id, payment_id FROM void WHERE effect = 'reversal' AND reversed_cycle IS NULL
                ORDER BY voided_at, kiosk_id, void_id
                """)
            var runs: [String: (parts: Int, sum: Int, voids: Int)] = [:]
            for void in voids {
                let voidRow: RowID = void["id"]
                let parts = try Row.fetchAll(db, sql: """
                    SELECT kind, claim_id, channel, amount_ore FROM allocation_part
                    WHERE payment_id = ? AND void_id IS NULL ORDER BY position
                    """, arguments: [void["payment_id"] as RowID]).compactMap(Self.part)
                let reversal = AllocationPart.reversal(of: parts)
                try self.insertParts(db, reversal, payment: void["payment_id"], void: voidRow, cycleID: cycleID, at: at)
                // The reversal of a part that never left for FBS, or was allocated again, goes nowhere either.
                let cancelled = Set(try Int.fetchAll(db, sql: """
                    SELECT position FROM fbs_part WHERE payment_id = ? AND state IN ('cancelled', 'released')
                    """, arguments: [void["payment_id"] as RowID]))
                let exported = reversal.enumerated().filter { !cancelled.contains($0.offset + 1) }.map(\.element)
                for channel in Set(exported.map(\.channel.rawValue)) {
                    let mine = exported.filter { $0.channel.rawValue == channel }
                    let current = runs[channel] ?? (0, 0, 0)
                    runs[channel] = (current.parts + mine.count, current.sum + mine.reduce(0) { $0 + $1.amount.ore }, current.voids + 1)
                }
                try db.execute(sql: "UPDATE void SET reversed_cycle = ? WHERE id = ?", arguments: [cycleID, voidRow])
                self.trail.append(at: at, "void", voidRow, "reversed", cause: CycleTrail.reversed(parts), cycle: cycleID)
            }
            for (channel, run) in runs {
                try SQLiteAllocationRuns.add(db, cycle: cycleID, channel: channel, parts: run.parts, sum: run.sum, payments: 0,
                                             reversals: run.voids)
            }
            return voids.count
        }
    }

    static func part(_ row: Row) -> AllocationPart? {
        guard let kind = AllocationPart.Kind(rawValue: row["kind"]), let channel = PaymentChannel(rawValue: row["channel"]) else { return nil }
        return AllocationPart(kind: kind, claimID: row["claim_id"], channel: channel, amount: Amount(ore: row["amount_ore"]))
    }

    private func insertParts(_ db: Database, _ parts: [AllocationPart], payment: RowID, void: RowID?, cycleID: RowID, at: Instant) throws {
        let statement = try partInsert ?? BulkStatement(db, sql: """
            INSERT INTO allocation_part (payment_id, void_id, position, kind, claim_id, channel, amount_ore, cycle_id, allocated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        partInsert = statement
        for (position, part) in parts.enumerated() {
            try statement.run { values in
                values.add(payment)
                values.add(void)
                values.add(position + 1)
                values.add(part.kind.rawValue)
                values.add(part.claimID)
                values.add(part.channel.rawValue)
                values.add(part.amount.ore)
                values.add(cycleID)
                values.add(at.millisecondsSinceEpoch)
            }
        }
    }

    // MARK: Allocation

    func pendingPayments(payersPerRound: Int, paymentsPerRound: Int, paymentsPerCycle: Int) async throws -> any PendingPaymentRounds {
        try await connection.run { db -> SQLitePendingRounds in
            // The files booked since the last allocation, as many as the cycle takes. SQLite
            // has one writer, so no file can be booked between this look and the end of the pass.
            let files = PendingFiles(try Row.fetchAll(db, sql: """
                SELECT id, payments_booked FROM kiosk_file WHERE verdict = 'accepted' AND allocated_cycle IS NULL ORDER BY id
                """).map { (id: $0["id"] as RowID, payments: $0["payments_booked"] as Int) }, paymentsPerCycle: paymentsPerCycle)
            self.pendingFiles = files.taken
            // One sorted pass over their payments (SQLite sorts them, spilling to a temporary
            // file when they are many). Neither the payments nor the parts table is written
            // during the pass (parts wait in a temporary table until `finishAllocation`), so
            // the pass never reads what it changed.
            // With them, the parts FBS would not take, to be allocated again (FBSPartSchema).
            let statement = try BulkStatement(db, sql: """
                SELECT id, payer, claim_type, paid_at, kiosk_id, transaction_id, amount_ore,
                       NULL AS released_position, NULL AS released_fee, NULL AS next_position
                FROM payment
                WHERE file_id IN (SELECT id FROM kiosk_file
                                  WHERE verdict = 'accepted' AND allocated_cycle IS NULL AND id <= \(files.taken.last ?? 0))
                  AND state = 'received'
                UNION ALL
                \(FBSPartSchema.releasedAsPending())
                ORDER BY payer, claim_type, paid_at, kiosk_id, transaction_id, released_position
                """, columns: ["id", "payer", "claim_type", "paid_at", "kiosk_id", "transaction_id", "amount_ore",
                               "released_position", "released_fee", "next_position"])
            statement.open()
            return SQLitePendingRounds(session: self, statement: statement, left: files.left,
                                       cutter: PendingRoundCutter(payersPerRound: payersPerRound, paymentsPerRound: paymentsPerRound))
        }
    }

    func recordAllocations(_ allocations: [PaymentAllocation], cycleID: RowID, at: Instant) async throws {
        try await connection.run { db in try self.recordDrafts(db, allocations) }
    }

    /// Allocation goes payer by payer; the parts are kept aside in a temporary table and
    /// written in the order the payments were paid when allocation is finished.
    private func recordDrafts(_ db: Database, _ allocations: [PaymentAllocation]) throws {
        let statement: BulkStatement
        if let draftInsert {
            statement = draftInsert
        } else {
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS allocation_draft (
                    paid_at INTEGER NOT NULL, kiosk_id TEXT NOT NULL, transaction_id TEXT NOT NULL, payment_id INTEGER NOT NULL,
                    position INTEGER NOT NULL, kind TEXT NOT NULL, claim_id TEXT, channel TEXT NOT NULL, amount_ore INTEGER NOT NULL,
                    fbs_state TEXT, fee_amount_ore INTEGER, fbs_reason TEXT);
                DELETE FROM temp.allocation_draft;
                """)
            statement = try BulkStatement(db, sql: """
                INSERT INTO temp.allocation_draft (paid_at, kiosk_id, transaction_id, payment_id, position, kind, claim_id, channel, amount_ore,
                                                   fbs_state, fee_amount_ore, fbs_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            draftInsert = statement
        }
        for allocation in allocations {
            let payment = allocation.payment
            reallocated += payment.reallocating
            for (index, part) in allocation.parts.enumerated() {
                try statement.run { values in
                    values.add(payment.key.paidAt.millisecondsSinceEpoch)
                    values.add(payment.key.kioskID)
                    values.add(payment.key.transactionID)
                    values.add(payment.rowID)
                    values.add(payment.firstPosition + index)
                    values.add(part.kind.rawValue)
                    values.add(part.claimID)
                    values.add(part.channel.rawValue)
                    values.add(part.amount.ore)
                    let plan = allocation.fbs[index + 1]
                    values.add(plan?.state.rawValue)
                    values.add(plan?.feeAmount?.ore)
                    values.add(plan?.reason)
                }
            }
        }
    }

    func finishAllocation(cycleID: RowID, at: Instant) async throws {
        try await connection.run { db in
            if self.draftInsert != nil { try self.writeDrafts(db, cycleID: cycleID, at: at) }
            // Every file the pass read has had its turn in this transaction.
            for file in self.pendingFiles ?? [] {
                try db.cachedStatement(sql: "UPDATE kiosk_file SET allocated_cycle = ? WHERE id = ?").execute(arguments: [cycleID, file])
            }
            self.pendingFiles = nil
        }
    }

    /// Writes the drafts in the order the payments were paid (allocation.md), which is about
    /// the order they were booked in: the parts' indexes, the check of each part's payment
    /// and the export's reading of the payments then go through the tables in order rather
    /// than payer by payer. In SQLite, part ids are the export's order within a cycle.
    private func writeDrafts(_ db: Database, cycleID: RowID, at: Instant) throws {
        try db.execute(sql: """
            INSERT INTO allocation_part (payment_id, void_id, position, kind, claim_id, channel, amount_ore, cycle_id, allocated_at)
            SELECT payment_id, NULL, position, kind, claim_id, channel, amount_ore, ?, ?
            FROM temp.allocation_draft ORDER BY paid_at, kiosk_id, transaction_id, position
            """, arguments: [cycleID, at.millisecondsSinceEpoch])
        // The intents for FBS, with the parts; a part waiting for FBS is in no export run.
        try db.execute(sql: """
            INSERT INTO fbs_part (payment_id, position, fee_id, order_id, amount_ore, fee_amount_ore, state, reason, tries, created_at,
                                  handed_over_cycle, reallocated_cycle)
            SELECT payment_id, position, claim_id, 'kb-' || kiosk_id || '-' || transaction_id, amount_ore, fee_amount_ore, fbs_state,
                   fbs_reason, 0, ?1, CASE WHEN fbs_state = 'worklist' THEN ?2 ELSE NULL END,
                   CASE WHEN fbs_state = 'released' THEN ?2 ELSE NULL END
            FROM temp.allocation_draft WHERE fbs_state IS NOT NULL ORDER BY payment_id, position
            """, arguments: [at.millisecondsSinceEpoch, cycleID])
        try markReallocated(db, cycleID: cycleID, at: at)
        var partCount = 0
        for run in try Row.fetchAll(db, sql: """
            SELECT channel, COUNT(*) AS parts, SUM(amount_ore) AS sum_ore, COUNT(DISTINCT payment_id) AS payments
            FROM temp.allocation_draft WHERE fbs_state IS NULL OR fbs_state = 'worklist' GROUP BY channel
            """) {
            try SQLiteAllocationRuns.add(db, cycle: cycleID, channel: run["channel"], parts: run["parts"], sum: run["sum_ore"],
                                         payments: run["payments"], reversals: 0)
            partCount += run["parts"] as Int
        }
        let payments = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM temp.allocation_draft WHERE position = 1") ?? 0
        draftInsert = nil
        try db.execute(sql: "DROP TABLE temp.allocation_draft")
        if payments > 0 {
            trail.append(at: at, "cycle", cycleID, "allocated", cause: CycleTrail.allocated(payments: payments, parts: partCount), cycle: cycleID)
        }
    }

    /// The parts FBS would not take that this cycle allocated again: taken, with a trail row each.
    private func markReallocated(_ db: Database, cycleID: RowID, at: Instant) throws {
        for part in reallocated {
            try db.execute(sql: """
                UPDATE fbs_part SET reallocated_cycle = ? WHERE payment_id = ? AND position = ? AND state = 'released'
                """, arguments: [cycleID, part.key.payment, part.key.position])
            trail.append(at: at, "payment", part.key.payment, "fbs-reallocated",
                         cause: FBSPartSchema.reallocated(part, cycle: cycleID), cycle: cycleID)
        }
        reallocated = []
    }

    // MARK: Batches

    func registerSeries(_ series: ExportSeries, at: Instant) async throws {
        try await connection.run { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO export_series (name, channel, prefix, start_after_part_id, registered_at, start_after_cycle)
                VALUES (?, ?, ?, 0, ?, (SELECT COALESCE(MAX(r.cycle_id), 0) FROM export_batch_run r
                                        JOIN export_batch b ON b.id = r.batch_id WHERE b.channel = ?))
                """, arguments: [series.name, series.channel.rawValue, series.prefix, at.millisecondsSinceEpoch, series.channel.rawValue])
        }
    }

    /// The columns ``batch(_:)`` reads, of the table `alias` (or unqualified).
    static func batchColumns(_ alias: String = "") -> String {
        let prefix = alias.isEmpty ? "" : alias + "."
        return ["id", "series", "channel", "sequence", "batch_id", "file_name", "created_at", "lines", "sum_ore", "state", "cycle_id",
                "published_at"].map { prefix + $0 }.joined(separator: ", ")
    }

    static func batch(_ row: Row) -> StoredBatch {
        let info = ExportBatchInfo(batchID: row["batch_id"], sequence: row["sequence"], createdAt: Instant(row: row["created_at"]),
                                   lineCount: row["lines"], sum: Amount(ore: row["sum_ore"]), profile: row["series"])
        let publishedAt: Int? = row["published_at"]
        return StoredBatch(id: row["id"], series: row["series"], channel: PaymentChannel(rawValue: row["channel"]) ?? .debtor,
                           sequence: row["sequence"], fileName: row["file_name"], info: info,
                           state: StoredBatch.State(rawValue: row["state"]) ?? .prepared, cycleID: row["cycle_id"],
                           publishedAt: publishedAt.map(Instant.init(row:)))
    }

    func preparedBatches() async throws -> [StoredBatch] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.batchColumns()) FROM export_batch WHERE state = 'prepared' ORDER BY id").map(Self.batch)
        }
    }

    func prepareBatch(series: ExportSeries, createdAt: Instant, cycleID: RowID, includeEmpty: Bool) async throws -> StoredBatch? {
        try await connection.run { db in
            // The runs of the series' channel after the last one it carried. Only the newest
            // batch of a series can be given up, so every run below that one is carried.
            guard let floor = try RowID.fetchOne(db, sql: """
                SELECT MAX(start_after_cycle, COALESCE((SELECT MAX(cycle_id) FROM export_batch_run WHERE series = ?1), 0))
                FROM export_series WHERE name = ?1
                """, arguments: [series.name]) else { return nil }
            let runs = try Row.fetchAll(db, sql: """
                SELECT cycle_id, parts, sum_ore FROM allocation_run WHERE channel = ? AND cycle_id > ? ORDER BY cycle_id
                """, arguments: [series.channel.rawValue, floor])
            let lines = runs.reduce(0) { $0 + ($1["parts"] as Int) }
            let sum = runs.reduce(0) { $0 + ($1["sum_ore"] as Int) }
            if lines == 0 && !includeEmpty { return nil }
            let sequence = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM export_batch WHERE series = ?", arguments: [series.name]) ?? 0) + 1
            let fileName = ExportFileName.make(prefix: series.prefix, createdAt: createdAt, sequence: sequence, fileExtension: series.fileExtension)
            let batchID = ExportFileName.batchID(prefix: series.prefix, createdAt: createdAt, sequence: sequence)
            try db.execute(sql: """
                INSERT INTO export_batch (series, channel, sequence, batch_id, file_name, created_at, after_part_id, through_part_id,
                                          lines, sum_ore, state, cycle_id)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 'prepared', ?)
                """, arguments: [series.name, series.channel.rawValue, sequence, batchID, fileName, createdAt.millisecondsSinceEpoch,
                                 lines, sum, cycleID])
            let id = db.lastInsertedRowID
            for run in runs {
                try db.execute(sql: "INSERT INTO export_batch_run (series, cycle_id, batch_id) VALUES (?, ?, ?)",
                               arguments: [series.name, run["cycle_id"] as RowID, id])
            }
            self.trail.append(at: createdAt, "batch", id, "prepared", cause: CycleTrail.prepared(fileName: fileName, lines: lines, sum: sum),
                              batch: id, cycle: cycleID)
            return try Row.fetchOne(db, sql: "SELECT \(Self.batchColumns()) FROM export_batch WHERE id = ?", arguments: [id]).map(Self.batch)
        }
    }

    func markPublished(batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at: Instant,
                       cycleID: RowID?, anchor: TrailHead?) async throws {
        try await connection.run { db in
            // The batch's row is the trail's word for every payment and reversal it carried:
            // they are its channel's parts of the cycles it took up.
            let cycles = try RowID.fetchAll(db, sql: "SELECT cycle_id FROM export_batch_run WHERE batch_id = ? ORDER BY cycle_id",
                                            arguments: [batch.id])
            self.trail.append(at: at, "batch", batch.id, "published",
                              cause: CycleTrail.published(outboxPath: outboxPath, sha256: sha256, channel: batch.channel, cycles: cycles),
                              batch: batch.id, cycle: batch.cycleID)
            try db.execute(sql: """
                UPDATE export_batch SET state = 'published', sha256 = ?, outbox_path = ?, archive_path = ?, published_at = ?,
                                        trail_head_id = ?, trail_head_hash = ?, published_cycle_id = ?
                WHERE id = ?
                """, arguments: [sha256, outboxPath, archivePath, at.millisecondsSinceEpoch, anchor?.rowID, anchor?.sha256,
                                 cycleID ?? batch.cycleID, batch.id])
            if batch.channel == .debtor {
                try db.execute(sql: DebtorConfirmationSchema.recordExports(cycles: cycles, exportedAt: batch.info.createdAt))
            }
        }
    }

    func abandonBatch(_ batch: StoredBatch, reason: String, at: Instant) async throws -> Bool {
        try await connection.run { db in
            let newest = try Bool.fetchOne(db, sql: """
                SELECT state = 'prepared' AND NOT EXISTS (SELECT 1 FROM export_batch later WHERE later.series = ?2 AND later.sequence > ?3)
                FROM export_batch WHERE id = ?1
                """, arguments: [batch.id, batch.series, batch.sequence]) ?? false
            guard newest else { return false }
            try db.execute(sql: "DELETE FROM export_batch_run WHERE batch_id = ?", arguments: [batch.id])
            try db.execute(sql: "DELETE FROM export_batch WHERE id = ?", arguments: [batch.id])
            self.trail.append(at: at, "batch", batch.id, "abandoned", cause: CycleTrail.abandoned(fileName: batch.fileName, reason: reason),
                              batch: batch.id, cycle: batch.cycleID)
            return true
        }
    }

    func exportedCounts(cycleID: RowID) async throws -> ExportedCounts {
        try await connection.run { db in
            let runs = try Row.fetchAll(db, sql: """
                SELECT DISTINCT r.cycle_id, b.channel FROM export_batch b JOIN export_batch_run r ON r.batch_id = b.id
                WHERE b.published_cycle_id = ?
                """, arguments: [cycleID]).map { CycleTrail.Run(cycle: $0["cycle_id"], channel: $0["channel"]) }
            var counter = ExportedCounts.Counter(runs: Set(runs))
            // A payment's parts (and a void's) are consecutive rows of one cycle, so each is
            // counted at its first part among these runs' parts: one pass in id order.
            let parts = try BulkStatement(db, sql: """
                SELECT cycle_id, channel, payment_id, void_id, kind, amount_ore FROM allocation_part
                WHERE cycle_id = ? ORDER BY id
                """, columns: ["cycle_id", "channel", "payment_id", "void_id", "kind", "amount_ore"])
            for cycle in Set(runs.map(\.cycle)).sorted() {
                try parts.forEachRow({ $0.add(cycle) }) { row in
                    counter.add(cycle: Int64(row.int(0)), channel: row.text(1), payment: Int64(row.int(2)),
                                void: row.optionalInt(3).map(Int64.init), kind: row.text(4), amount: row.int(5))
                }
            }
            return counter.counts
        }
    }
}

/// The pending payments of a cycle, read from one sorted statement a round at a time.
final class SQLitePendingRounds: PendingPaymentRounds, @unchecked Sendable {
    private let session: SQLiteCycleSession
    private let statement: BulkStatement
    private var cutter: PendingRoundCutter
    private var exhausted = false
    let left: FilesLeft

    init(session: SQLiteCycleSession, statement: BulkStatement, left: FilesLeft, cutter: PendingRoundCutter) {
        self.session = session
        self.statement = statement
        self.left = left
        self.cutter = cutter
    }

    func next() async throws -> [PendingGroup]? {
        try await session.connection.run { db in try self.round(db) }
    }

    private func round(_ db: Database) throws -> [PendingGroup]? {
        var round = cutter.startRound()
        while !exhausted {
            guard let row = try statement.step() else {
                exhausted = true
                break
            }
            let released = row.optionalInt(7).map { position in
                [ReleasedFBSPart(key: FBSPartKey(payment: Int64(row.int(0)), position: position), feeID: row.optionalText(8) ?? "",
                                 amount: Amount(ore: row.int(6)))]
            }
            let payment = PendingPayment(rowID: Int64(row.int(0)),
                                         key: AllocationOrder.PaymentKey(paidAt: Instant(millisecondsSinceEpoch: row.int(3)),
                                                                         kioskID: row.text(4), transactionID: row.text(5)),
                                         amount: Amount(ore: row.int(6)), reallocating: released ?? [],
                                         firstPosition: row.optionalInt(9) ?? 1)
            guard cutter.add(PendingRow(payer: row.text(1), type: row.text(2), payment: payment), to: &round) else { break }
        }
        if round.isEmpty { return nil }
        return round.groups(evidence: try SQLiteClaimEvidence.read(db, payers: round.payers))
    }
}
