import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// The `fbs` mode's steps (FBSPartSession) in PostgreSQL.
extension PostgresCycleSession {
    func pendingCPRPayers() async throws -> [String] {
        try await transaction.rows("""
            SELECT payer FROM §payment
            WHERE file_id IN (SELECT id FROM §kiosk_file WHERE verdict = 'accepted' AND allocated_cycle IS NULL)
              AND state = 'received' AND payer_kind = 'CPR'
            UNION
            SELECT p.payer FROM §fbs_part f JOIN §payment p ON p.id = f.payment_id
            WHERE f.state = 'released' AND f.reallocated_cycle IS NULL AND p.state = 'received' AND p.payer_kind = 'CPR'
            ORDER BY payer
            """).map { try $0.text("payer") }
    }

    func unreflectedFBSParts(feeIDs: [String]) async throws -> [UnreflectedFBSPart] {
        guard !feeIDs.isEmpty else { return [] }
        return try await transaction.rows("""
            SELECT fee_id, state, amount_ore, fee_amount_ore FROM §fbs_part
            WHERE fee_id = ANY(\(feeIDs)) AND state IN ('waiting', 'worklist', 'released') ORDER BY payment_id, position
            """).compactMap { row in
            guard let state = FBSPartState(rawValue: try row.text("state")) else { return nil }
            return UnreflectedFBSPart(feeID: try row.text("fee_id"), state: state, amount: Amount(ore: try row.int("amount_ore")),
                                      feeAmount: try row.optionalInt("fee_amount_ore").map(Amount.init(ore:)))
        }
    }

    func waitingFBSParts() async throws -> [WaitingFBSPart] {
        try await transaction.rows("""
            SELECT f.payment_id, f.position, p.payer, f.order_id, f.fee_id, f.amount_ore, f.fee_amount_ore, f.tries, f.created_at
            FROM §fbs_part f JOIN §payment p ON p.id = f.payment_id
            WHERE f.state = 'waiting' ORDER BY f.payment_id, f.position
            """).map { row in
            WaitingFBSPart(key: FBSPartKey(payment: try row.int64("payment_id"), position: try row.int("position")),
                           payer: try row.text("payer"), orderID: try row.text("order_id"), feeID: try row.text("fee_id"),
                           amount: Amount(ore: try row.int("amount_ore")),
                           feeAmount: try row.optionalInt("fee_amount_ore").map(Amount.init(ore:)), tries: try row.int("tries"),
                           createdAt: Instant(millisecondsSinceEpoch: try row.int("created_at")))
        }
    }

    func markFBSTried(_ keys: [FBSPartKey], at: Instant) async throws {
        for key in keys {
            try await transaction.execute("""
                UPDATE §fbs_part SET tries = tries + 1, last_tried_at = \(at.millisecondsSinceEpoch)
                WHERE payment_id = \(key.payment) AND position = \(key.position) AND state = 'waiting'
                """)
        }
    }

    func recordFBSOutcomes(_ outcomes: [FBSPartOutcome], at: Instant) async throws {
        for outcome in outcomes {
            guard let row = try await transaction.row("""
                UPDATE §fbs_part SET state = \(outcome.state.rawValue), confirmation_id = \(outcome.confirmationID),
                       reason = \(outcome.reason), answered_at = \(at.millisecondsSinceEpoch)
                WHERE payment_id = \(outcome.key.payment) AND position = \(outcome.key.position) AND state = 'waiting'
                RETURNING fee_id, amount_ore
                """) else { continue }
            trail.append(at: at, "payment", outcome.key.payment, FBSPartSchema.trailEvent(outcome.state),
                         cause: FBSPartSchema.trailCause(outcome, feeID: try row.text("fee_id"), amount: Amount(ore: try row.int("amount_ore"))))
        }
    }

    func handOverFBSParts(cycleID: RowID, at: Instant, givingUpBefore: Instant, reason: String) async throws -> Int {
        do {
            let stale = try await transaction.rows("""
                SELECT payment_id, position, fee_id, amount_ore FROM §fbs_part
                WHERE state = 'waiting' AND created_at < \(givingUpBefore.millisecondsSinceEpoch) ORDER BY payment_id, position
                """)
            try await transaction.execute(PostgresQuery(unsafeSQL: FBSPartSchema.giveUp(
                table: { "§" + $0 }, before: "\(givingUpBefore.millisecondsSinceEpoch)", at: "\(at.millisecondsSinceEpoch)", reason: reason)))
            for row in stale {
                let outcome = FBSPartOutcome(key: FBSPartKey(payment: try row.int64("payment_id"), position: try row.int("position")),
                                             state: .worklist, confirmationID: nil,
                                             reason: reason)
                trail.append(at: at, "payment", outcome.key.payment, FBSPartSchema.trailEvent(.worklist),
                             cause: FBSPartSchema.trailCause(outcome, feeID: try row.text("fee_id"), amount: Amount(ore: try row.int("amount_ore"))),
                             cycle: cycleID)
            }
        }
        let parts = try await transaction.rows("""
            SELECT a.id, a.payment_id, a.amount_ore FROM §fbs_part f
            JOIN §allocation_part a ON a.payment_id = f.payment_id AND a.position = f.position AND a.void_id IS NULL
            WHERE f.handed_over_cycle IS NULL AND f.state IN ('worklist', 'refund') ORDER BY a.id
            """).map { (id: try $0.int64("id"), payment: try $0.int64("payment_id"), amount: try $0.int("amount_ore")) }
        guard !parts.isEmpty else { return 0 }
        // Into this cycle's worklist run, before its own parts in the export's order.
        var ordinal = try await transaction.row("SELECT COALESCE(MAX(ordinal), 0) + 1 AS next FROM §allocation_part WHERE cycle_id = \(cycleID)")?
            .int64("next") ?? 1
        for part in parts {
            try await transaction.execute("UPDATE §allocation_part SET cycle_id = \(cycleID), ordinal = \(ordinal) WHERE id = \(part.id)")
            ordinal += 1
        }
        try await transaction.execute("""
            UPDATE §fbs_part SET handed_over_cycle = \(cycleID) WHERE handed_over_cycle IS NULL AND state IN ('worklist', 'refund')
            """)
        try await PostgresAllocationRuns.add(transaction, cycle: cycleID, channel: PaymentChannel.fbs.rawValue, parts: parts.count,
                                             sum: parts.reduce(0) { $0 + $1.amount }, payments: Set(parts.map(\.payment)).count,
                                             reversals: 0)
        return parts.count
    }
}
