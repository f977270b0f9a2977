import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// Reading a batch's lines in PostgreSQL, on one snapshot, through a cursor per run.
final class PostgresExportSession: ExportSession {
    let transaction: PostgresTransaction

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    func forEachLine(of batch: StoredBatch, chunk: Int, _ body: ([ExportLine]) async throws -> Void) async throws {
        let cycles = try await transaction.rows("""
            SELECT cycle_id FROM §export_batch_run WHERE batch_id = \(batch.id) ORDER BY cycle_id
            """).map { try $0.int64("cycle_id") }
        let size = max(1, chunk)
        // Reversals first, in the order of the voids, then the payments in allocation order
        // (debtor-export.md), cycle by cycle: within a cycle both are the parts' ordinals.
        for reversals in [true, false] {
            for cycle in cycles {
                try await transaction.execute("""
                    DECLARE export_lines NO SCROLL CURSOR FOR
                    SELECT a.kind, p.transaction_id, p.kiosk_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.debtor_claim_type,
                           a.claim_id, a.amount_ore
                    FROM §allocation_part a JOIN §payment p ON p.id = a.payment_id
                    WHERE a.cycle_id = \(cycle) AND a.channel = \(batch.channel.rawValue) AND (a.void_id IS NOT NULL) = \(reversals)
                      AND NOT \(unescaped: FBSPartSchema.heldBack(table: { "§" + $0 }))
                    ORDER BY a.ordinal
                    """)
                while true {
                    let rows = try await transaction.rows(PostgresQuery(unsafeSQL: "FETCH \(size) FROM export_lines"))
                    let run = try rows.map(Self.line)
                    if !run.isEmpty { try await body(run) }
                    if run.count < size { break }
                }
                try await transaction.execute("CLOSE export_lines")
            }
        }
    }

    static func line(_ row: PostgresStoredRow) throws -> ExportLine {
        ExportLine(kind: AllocationPart.Kind(rawValue: try row.text("kind")) ?? .payment, transactionID: try row.text("transaction_id"),
                   kioskID: try row.text("kiosk_id"), receipt: try row.text("receipt"),
                   paidAt: Instant(millisecondsSinceEpoch: try row.int("paid_at")), payerDigits: try row.text("payer"),
                   payerIsCompany: try row.text("payer_kind") == "CVR", debtorClaimType: try row.text("debtor_claim_type"),
                   claimID: try row.optionalText("claim_id"), amount: Amount(ore: try row.int("amount_ore")))
    }
}
