import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Reading a batch's lines in SQLite, on one snapshot.
///
/// Its cursor is used by its connection's thread only, one job at a time.
final class SQLiteExportSession: ExportSession, @unchecked Sendable {
    let connection: ConfinedConnection
    private var lines: BulkStatement?

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    func forEachLine(of batch: StoredBatch, chunk: Int, _ body: ([ExportLine]) async throws -> Void) async throws {
        let cycles = try await connection.run { db in
            try RowID.fetchAll(db, sql: "SELECT cycle_id FROM export_batch_run WHERE batch_id = ? ORDER BY cycle_id", arguments: [batch.id])
        }
        // Reversals first, in the order of the voids, then the payments in allocation order
        // (debtor-export.md), cycle by cycle: within a cycle both are the order of the part
        // ids, as a cycle writes reversals in void order and allocations in paid order.
        for reversals in [true, false] {
            for cycle in cycles {
                try await connection.run { db in try self.open(db, cycle: cycle, channel: batch.channel, reversals: reversals) }
                while true {
                    let run = try await connection.run { db in try self.read(upTo: max(1, chunk)) }
                    if !run.isEmpty { try await body(run) }
                    if run.count < max(1, chunk) { break }
                }
            }
        }
    }

    private func open(_ db: Database, cycle: RowID, channel: PaymentChannel, reversals: Bool) throws {
        let statement = try lines ?? BulkStatement(db, sql: """
            SELECT a.kind, p.transaction_id, p.kiosk_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.debtor_claim_type,
                   a.claim_id, a.amount_ore
            FROM allocation_part a
            JOIN payment p ON p.id = a.payment_id
            WHERE a.cycle_id = ? AND a.channel = ? AND (a.void_id IS NOT NULL) = ? AND NOT \(FBSPartSchema.heldBack())
            ORDER BY a.id
            """, columns: ["kind", "transaction_id", "kiosk_id", "receipt", "paid_at", "payer", "payer_kind", "debtor_claim_type",
                           "claim_id", "amount_ore"])
        lines = statement
        statement.open { values in
            values.add(cycle)
            values.add(channel.rawValue)
            values.add(reversals ? 1 : 0)
        }
    }

    private func read(upTo count: Int) throws -> [ExportLine] {
        guard let statement = lines else { return [] }
        var run: [ExportLine] = []
        run.reserveCapacity(count)
        while run.count < count, let row = try statement.step() {
            run.append(ExportLine(kind: AllocationPart.Kind(rawValue: row.text(0)) ?? .payment, transactionID: row.text(1),
                                  kioskID: row.text(2), receipt: row.text(3), paidAt: Instant(millisecondsSinceEpoch: row.int(4)),
                                  payerDigits: row.text(5), payerIsCompany: row.text(6) == "CVR", debtorClaimType: row.text(7),
                                  claimID: row.optionalText(8), amount: Amount(ore: row.int(9))))
        }
        return run
    }
}
