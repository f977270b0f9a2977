import KioskBridgeCore
import GRDB

final class SQLiteCycleSession: CycleSession {
    let db: Database

    let trail: TrailWriter

    private var partInsert: BulkStatement?
    private var draftInsert: BulkStatement?

    init(_ db: Database) {
        self.db = db
        trail = TrailWriter(db)
    }

    func startCycle(at: Instant, command: String) throws -> RowID {
        try db.execute(sql: "INSERT INTO cycle (command, started_at) VALUES (?, ?)", arguments: [command, at.millisecondsSinceEpoch])
        return db.lastInsertedRowID
    }

    func finishCycle(id: RowID, at: Instant, result: String, summaryJSON: String) throws {
        try db.execute(sql: "UPDATE cycle SET finished_at = ?, result = ?, summary = ? WHERE id = ?",
                       arguments: [at.millisecondsSinceEpoch, result, summaryJSON, id])
    }

    // MARK: Reversals

    func createPendingReversals(cycleID: RowID, at: Instant) throws -> Int {
        let voids = try Row.fetchAll(db, sql: """
            SELECT id, payment_id, void_id FROM void WHERE effect = 'reversal' AND reversed_cycle IS NULL
            ORDER BY voided_at, kiosk_id, void_id
            """)
        for void in voids {
            let voidRow: RowID = void[0]
            let payment: RowID = void[1]
            let parts = try Row.fetchAll(db, sql: """
                SELECT kind, claim_id, channel, amount_ore FROM allocation_part
                WHERE payment_id = ? AND void_id IS NULL ORDER BY position
                """, arguments: [payment]).compactMap { row -> AllocationPart? in
                guard let kind = AllocationPart.Kind(rawValue: row[0]), let channel = PaymentChannel(rawValue: row[2]) else { return nil }
                return AllocationPart(kind: kind, claimID: row[1], channel: channel, amount: Amount(ore: row[3]))
            }
            try insertParts(AllocationPart.reversal(of: parts), payment: payment, void: voidRow, cycleID: cycleID, at: at)
            try db.execute(sql: "UPDATE void SET reversed_cycle = ? WHERE id = ?", arguments: [cycleID, voidRow])
            try trail.append(at: at, "void", voidRow, "reversed",
                         cause: "reversal of " + parts.map(Self.describe).joined(separator: ", "), cycle: cycleID)
        }
        return voids.count
    }

    static func describe(_ part: AllocationPart) -> String {
        switch part.kind {
        case .surplus: "surplus \(part.amount)"
        default: "\(part.claimID ?? "-") \(part.amount)\(part.channel == .fbs ? " (FBS)" : "")"
        }
    }

    private func insertParts(_ parts: [AllocationPart], payment: RowID, void: RowID?, cycleID: RowID, at: Instant) throws {
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

    func forEachPendingGroup(payersPerRound: Int, _ body: (PendingGroup) throws -> Void) throws {
        // One sorted pass over the payments awaiting allocation (SQLite sorts them, spilling to
        // a temporary file when they are many). The claims and the bridge's parts on them are
        // fetched for a round of payers at a time. Neither the payments nor the parts table is
        // written during the pass (parts wait in a temporary table until `finishAllocation`),
        // so the pass never reads what it changed.
        let mark = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(allocated_through_payment_id), 0) FROM cycle") ?? 0
        let pending = try BulkStatement(db, sql: """
            SELECT id, payer, claim_type, paid_at, kiosk_id, transaction_id, amount_ore
            FROM payment
            WHERE id > ? AND state = 'received' AND allocated_cycle IS NULL
            ORDER BY payer, claim_type, paid_at, kiosk_id, transaction_id
            """)
        var round: [(payer: String, type: String, payments: [PendingPayment])] = []
        var payersInRound = 0
        func flush() throws {
            guard !round.isEmpty else { return }
            let evidence = try claimEvidence(payers: Array(Set(round.map(\.payer))))
            for group in round {
                try body(PendingGroup(payer: group.payer, claimType: group.type, payments: group.payments,
                                      claims: evidence[group.payer, default: []].filter { $0.claim.claimType == group.type }))
            }
            round.removeAll(keepingCapacity: true)
            payersInRound = 0
        }
        try pending.forEachRow({ $0.add(mark) }) { row in
            let payer = row.text(1)
            let type = row.text(2)
            let payment = PendingPayment(rowID: Int64(row.int(0)),
                                         key: AllocationOrder.PaymentKey(paidAt: Instant(millisecondsSinceEpoch: row.int(3)),
                                                                         kioskID: row.text(4), transactionID: row.text(5)),
                                         amount: Amount(ore: row.int(6)))
            if let lastIndex = round.indices.last, round[lastIndex].payer == payer {
                if round[lastIndex].type == type {
                    round[lastIndex].payments.append(payment)
                } else {
                    round.append((payer, type, [payment]))
                }
                return
            }
            // A new payer: the round ends between payers, never inside one.
            if payersInRound >= payersPerRound { try flush() }
            round.append((payer, type, [payment]))
            payersInRound += 1
        }
        try flush()
    }

    /// The effective claims of these payers (a claim id listed by both sources is the
    /// debtor's), each with the bridge's parts on it.
    private func claimEvidence(payers: [String]) throws -> [String: [ClaimEvidence]] {
        guard !payers.isEmpty else { return [:] }
        var result: [String: [ClaimEvidence]] = [:]
        for chunk in stride(from: 0, to: payers.count, by: 2000).map({ Array(payers[$0..<min($0 + 2000, payers.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let claims = try Row.fetchAll(db, sql: """
                SELECT c.source, c.claim_id, c.payer, c.claim_type, c.created_on, c.due_on, c.original_ore, c.outstanding_ore, c.payable_in
                FROM claim c
                WHERE c.payer IN (\(marks))
                  AND (c.source = 'DEBTOR' OR NOT EXISTS (SELECT 1 FROM claim d WHERE d.source = 'DEBTOR' AND d.claim_id = c.claim_id))
                """, arguments: StatementArguments(chunk)).compactMap(SQLiteClaimsSession.claim)
            guard !claims.isEmpty else { continue }
            let parts = try bridgeParts(onClaimsOfPayers: chunk, marks: marks)
            for claim in claims {
                let evidence = ClaimEvidence(claim: claim, bridgeParts: parts[ClaimKey(source: claim.source.rawValue, id: claim.id)] ?? [])
                result[claim.payer.digits, default: []].append(evidence)
            }
        }
        return result
    }

    private struct ClaimKey: Hashable {
        let source: String
        let id: String
    }

    /// The bridge's parts on these payers' claims. A payment is only ever allocated to its
    /// own payer's claims, so they are found from the payer's payments: an index of parts by
    /// claim id would be written at random for every part.
    private func bridgeParts(onClaimsOfPayers payers: [String], marks: String) throws -> [ClaimKey: [EffectiveOutstanding.BridgePart]] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT c.source, a.claim_id, a.amount_ore,
                   (SELECT b.created_at FROM export_batch b
                     WHERE b.channel = a.channel AND b.through_part_id >= a.id AND b.after_part_id < a.id
                     ORDER BY b.through_part_id LIMIT 1) AS exported_at,
                   EXISTS (SELECT 1 FROM applied_transaction t
                            WHERE t.source = c.source AND t.kiosk_id = p.kiosk_id
                              AND t.transaction_id = COALESCE(v.void_id, p.transaction_id)) AS listed
            FROM payment p INDEXED BY payment_payer
            JOIN allocation_part a ON a.payment_id = p.id AND a.claim_id IS NOT NULL
            JOIN claim c ON c.claim_id = a.claim_id AND c.payer = p.payer
            LEFT JOIN void v ON v.id = a.void_id
            WHERE p.payer IN (\(marks))
            """, arguments: StatementArguments(payers))
        var parts: [ClaimKey: [EffectiveOutstanding.BridgePart]] = [:]
        for row in rows {
            let exportedAt: Int? = row[3]
            parts[ClaimKey(source: row[0], id: row[1]), default: []].append(
                EffectiveOutstanding.BridgePart(signedAmount: Amount(ore: row[2]), exportedAt: exportedAt.map(Instant.init(row:)),
                                                listedAsApplied: row[4]))
        }
        return parts
    }

    func recordAllocation(payment: PendingPayment, parts: [AllocationPart], cycleID: RowID, at: Instant) throws {
        // Allocation goes payer by payer; the parts are kept aside and written in the order
        // the payments were paid when allocation is finished (see `finishAllocation`).
        let statement: BulkStatement
        if let draftInsert {
            statement = draftInsert
        } else {
            try db.execute(sql: """
                CREATE TEMP TABLE IF NOT EXISTS allocation_draft (
                    paid_at INTEGER NOT NULL, kiosk_id TEXT NOT NULL, transaction_id TEXT NOT NULL, payment_id INTEGER NOT NULL,
                    position INTEGER NOT NULL, kind TEXT NOT NULL, claim_id TEXT, channel TEXT NOT NULL, amount_ore INTEGER NOT NULL);
                DELETE FROM temp.allocation_draft;
                """)
            statement = try BulkStatement(db, sql: """
                INSERT INTO temp.allocation_draft (paid_at, kiosk_id, transaction_id, payment_id, position, kind, claim_id, channel, amount_ore)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            draftInsert = statement
        }
        for (position, part) in parts.enumerated() {
            try statement.run { values in
                values.add(payment.key.paidAt.millisecondsSinceEpoch)
                values.add(payment.key.kioskID)
                values.add(payment.key.transactionID)
                values.add(payment.rowID)
                values.add(position + 1)
                values.add(part.kind.rawValue)
                values.add(part.claimID)
                values.add(part.channel.rawValue)
                values.add(part.amount.ore)
            }
        }
    }

    func finishAllocation(cycleID: RowID, at: Instant) throws {
        if draftInsert != nil {
            // In the order the payments were paid (allocation.md), which is about the order
            // they were booked in: the parts' indexes, the check of each part's payment and the
            // export's reading of the payments then go through the tables in order rather than
            // payer by payer. Part ids are the export's order.
            let before = try RowID.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM allocation_part") ?? 0
            try db.execute(sql: """
                INSERT INTO allocation_part (payment_id, void_id, position, kind, claim_id, channel, amount_ore, cycle_id, allocated_at)
                SELECT payment_id, NULL, position, kind, claim_id, channel, amount_ore, ?, ?
                FROM temp.allocation_draft ORDER BY paid_at, kiosk_id, transaction_id, position
                """, arguments: [cycleID, at.millisecondsSinceEpoch])
            let after = try RowID.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM allocation_part") ?? 0
            let payments = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM temp.allocation_draft WHERE position = 1") ?? 0
            draftInsert = nil
            try db.execute(sql: "DROP TABLE temp.allocation_draft")
            if after > before {
                try trail.extend(at: at, "allocation_part", before + 1, through: after, "allocated", cause: "allocated in cycle \(cycleID)",
                                 count: payments, of: "payment", cycle: cycleID)
            }
        }
        // Every payment booked so far has had its turn in this transaction: the next cycle
        // starts after the last of them.
        try db.execute(sql: """
            UPDATE cycle SET allocated_through_payment_id = (SELECT COALESCE(MAX(id), 0) FROM payment) WHERE id = ?
            """, arguments: [cycleID])
    }

    // MARK: Batches

    func registerSeries(_ series: ExportSeries, at: Instant) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO export_series (name, channel, prefix, start_after_part_id, registered_at)
            VALUES (?, ?, ?, (SELECT COALESCE(MAX(through_part_id), 0) FROM export_batch WHERE channel = ?), ?)
            """, arguments: [series.name, series.channel.rawValue, series.prefix, series.channel.rawValue, at.millisecondsSinceEpoch])
    }

    static let batchColumns = """
        id, series, channel, sequence, batch_id, file_name, created_at, after_part_id, through_part_id, lines, sum_ore, state, cycle_id,
        published_at
        """

    static func batch(_ row: Row) -> StoredBatch {
        let info = ExportBatchInfo(batchID: row[4], sequence: row[3], createdAt: Instant(row: row[6]), lineCount: row[9],
                                   sum: Amount(ore: row[10]), profile: row[1])
        return StoredBatch(id: row[0], series: row[1], channel: PaymentChannel(rawValue: row[2]) ?? .debtor, sequence: row[3],
                           fileName: row[5], info: info, afterPartID: row[7], throughPartID: row[8],
                           state: StoredBatch.State(rawValue: row[11]) ?? .prepared, cycleID: row[12],
                           publishedAt: (row[13] as Int64?).map { Instant(millisecondsSinceEpoch: Int($0)) })
    }

    func preparedBatches() throws -> [StoredBatch] {
        try Row.fetchAll(db, sql: "SELECT \(Self.batchColumns) FROM export_batch WHERE state = 'prepared' ORDER BY id").map(Self.batch)
    }

    func prepareBatch(series: ExportSeries, createdAt: Instant, cycleID: RowID, includeEmpty: Bool) throws -> StoredBatch? {
        guard let start = try RowID.fetchOne(db, sql: """
            SELECT MAX(COALESCE((SELECT MAX(through_part_id) FROM export_batch WHERE series = ?), start_after_part_id),
                       checked_through_part_id)
            FROM export_series WHERE name = ?
            """, arguments: [series.name, series.name]) else { return nil }
        let through = try RowID.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM allocation_part") ?? 0
        let totals = try Row.fetchOne(db, sql: """
            SELECT COUNT(*), COALESCE(SUM(amount_ore), 0) FROM allocation_part WHERE id > ? AND id <= ? AND channel = ?
            """, arguments: [start, through, series.channel.rawValue])
        let lines: Int = totals?[0] ?? 0
        let sum: Int = totals?[1] ?? 0
        if lines == 0 && !includeEmpty {
            // Nothing of this channel up to `through`: the next look starts after it.
            try db.execute(sql: "UPDATE export_series SET checked_through_part_id = ? WHERE name = ?", arguments: [through, series.name])
            return nil
        }
        let sequence = (try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM export_batch WHERE series = ?", arguments: [series.name]) ?? 0) + 1
        let fileName = ExportFileName.make(prefix: series.prefix, createdAt: createdAt, sequence: sequence, fileExtension: series.fileExtension)
        let batchID = ExportFileName.batchID(prefix: series.prefix, createdAt: createdAt, sequence: sequence)
        try db.execute(sql: """
            INSERT INTO export_batch (series, channel, sequence, batch_id, file_name, created_at, after_part_id, through_part_id,
                                      lines, sum_ore, state, cycle_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'prepared', ?)
            """, arguments: [series.name, series.channel.rawValue, sequence, batchID, fileName, createdAt.millisecondsSinceEpoch,
                             start, through, lines, sum, cycleID])
        let id = db.lastInsertedRowID
        try trail.append(at: createdAt, "batch", id, "prepared", cause: "\(fileName): \(lines) lines, sum \(Amount(ore: sum))",
                     batch: id, cycle: cycleID)
        return try Row.fetchOne(db, sql: "SELECT \(Self.batchColumns) FROM export_batch WHERE id = ?", arguments: [id]).map(Self.batch)
    }

    func markPublished(batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at: Instant,
                       cycleID: RowID?, anchor: TrailHead?) throws {
        // The batch's row is the trail's word for every payment and reversal it carried: they
        // are its parts of its channel, after_part_id < id <= through_part_id.
        try trail.append(at: at, "batch", batch.id, "published",
                         cause: "\(outboxPath) (sha256 \(sha256)): \(batch.channel.rawValue) parts \(batch.afterPartID + 1)-\(batch.throughPartID)",
                         batch: batch.id, cycle: batch.cycleID)
        try db.execute(sql: """
            UPDATE export_batch SET state = 'published', sha256 = ?, outbox_path = ?, archive_path = ?, published_at = ?,
                                    trail_head_id = ?, trail_head_hash = ?, published_cycle_id = ?
            WHERE id = ?
            """, arguments: [sha256, outboxPath, archivePath, at.millisecondsSinceEpoch, anchor?.rowID, anchor?.sha256,
                             cycleID ?? batch.cycleID, batch.id])
    }

    func abandonBatch(_ batch: StoredBatch, reason: String, at: Instant) throws -> Bool {
        try db.execute(sql: """
            DELETE FROM export_batch
            WHERE id = ? AND state = 'prepared'
              AND NOT EXISTS (SELECT 1 FROM export_batch later WHERE later.series = ? AND later.sequence > ?)
            """, arguments: [batch.id, batch.series, batch.sequence])
        guard db.changesCount > 0 else { return false }
        try trail.append(at: at, "batch", batch.id, "abandoned", cause: "\(batch.fileName) not delivered, its parts are pending again: \(reason)",
                     batch: batch.id, cycle: batch.cycleID)
        return true
    }

    func exportedCounts(cycleID: RowID) throws -> ExportedCounts {
        var counts = ExportedCounts()
        let batches = try Row.fetchAll(db, sql: """
            SELECT channel, after_part_id, through_part_id FROM export_batch WHERE published_cycle_id = ?
            """, arguments: [cycleID]).map { (channel: $0[0] as String, after: $0[1] as Int, through: $0[2] as Int) }
        guard let low = batches.map(\.after).min(), let high = batches.map(\.through).max() else { return counts }
        // A payment's parts (and a void's) are consecutive rows, so each is counted at its first
        // part among these batches' parts: one pass in id order. A payment has at most one
        // surplus part, and a reversal's parts are REVERSAL.
        let parts = try BulkStatement(db, sql: """
            SELECT id, channel, payment_id, void_id, kind, amount_ore FROM allocation_part WHERE id > ? AND id <= ? ORDER BY id
            """)
        var previous: (payment: Int, void: Int?)?
        var surplusOre = 0
        try parts.forEachRow({ $0.add(low); $0.add(high) }) { row in
            let id = row.int(0)
            let channel = row.text(1)
            guard batches.contains(where: { $0.channel == channel && id > $0.after && id <= $0.through }) else { return }
            let payment = row.int(2)
            let void = row.optionalInt(3)
            if previous.map({ $0.payment != payment || $0.void != void }) ?? true {
                if void == nil { counts.payments += 1 } else { counts.reversals += 1 }
            }
            previous = (payment, void)
            if row.text(4) == AllocationPart.Kind.surplus.rawValue {
                counts.surplusPayments += 1
                surplusOre += row.int(5)
            }
        }
        counts.surplusSum = Amount(ore: surplusOre)
        return counts
    }

    func snapshots() throws -> [StoredSnapshot] {
        try SQLiteClaimsSession.snapshots(db)
    }
}
