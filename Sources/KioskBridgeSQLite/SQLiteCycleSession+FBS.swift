import GRDB
import KioskBridgeCore
import KioskBridgeStore

/// The `fbs` mode's steps (FBSPartSession) in SQLite.
extension SQLiteCycleSession {
    func pendingCPRPayers() async throws -> [String] {
        try await connection.run { db in
            try String.fetchAll(db, sql: """
                SELECT payer FROM payment
                WHERE file_id IN (SELECT id FROM kiosk_file WHERE verdict = 'accepted' AND allocated_cycle IS NULL)
                  AND state = 'received' AND payer_kind = 'CPR'
                UNION
                SELECT p.payer FROM fbs_part f CROSS JOIN payment p ON p.id = f.payment_id
                WHERE f.state = 'released' AND f.reallocated_cycle IS NULL AND p.state = 'received' AND p.payer_kind = 'CPR'
                ORDER BY payer
                """)
        }
    }

    func unreflectedFBSParts(feeIDs: [String]) async throws -> [UnreflectedFBSPart] {
        guard !feeIDs.isEmpty else { return [] }
        return try await connection.run { db in
            var found: [UnreflectedFBSPart] = []
            for start in stride(from: 0, to: feeIDs.count, by: 500) {
                let chunk = Array(feeIDs[start..<min(start + 500, feeIDs.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                found += try Row.fetchAll(db, sql: """
                    SELECT fee_id, state, amount_ore, fee_amount_ore FROM fbs_part
                    WHERE fee_id IN (\(marks)) AND state IN ('waiting', 'worklist', 'released') ORDER BY payment_id, position
                    """, arguments: StatementArguments(chunk)).compactMap { row in
                    FBSPartState(rawValue: row["state"]).map {
                        UnreflectedFBSPart(feeID: row["fee_id"], state: $0, amount: Amount(ore: row["amount_ore"]),
                                           feeAmount: (row["fee_amount_ore"] as Int?).map(Amount.init(ore:)))
                    }
                }
            }
            return found
        }
    }

    func waitingFBSParts() async throws -> [WaitingFBSPart] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT f.payment_id, f.position, p.payer, f.order_id, f.fee_id, f.amount_ore, f.fee_amount_ore, f.tries, f.created_at
                FROM fbs_part f INDEXED BY fbs_part_waiting CROSS JOIN payment p ON p.id = f.payment_id
                WHERE f.state = 'waiting' ORDER BY f.payment_id, f.position
                """).map { row in
                WaitingFBSPart(key: FBSPartKey(payment: row["payment_id"], position: row["position"]), payer: row["payer"],
                               orderID: row["order_id"], feeID: row["fee_id"], amount: Amount(ore: row["amount_ore"]),
                               feeAmount: (row["fee_amount_ore"] as Int?).map(Amount.init(ore:)), tries: row["tries"],
                               createdAt: Instant(millisecondsSinceEpoch: row["created_at"]))
            }
        }
    }

    func markFBSTried(_ keys: [FBSPartKey], at: Instant) async throws {
        try await connection.run { db in
            for key in keys {
                try db.cachedStatement(sql: """
                    UPDATE fbs_part SET tries = tries + 1, last_tried_at = ? WHERE payment_id = ? AND position = ? AND state = 'waiting'
                    """).execute(arguments: [at.millisecondsSinceEpoch, key.payment, key.position])
            }
        }
    }

    func recordFBSOutcomes(_ outcomes: [FBSPartOutcome], at: Instant) async throws {
        try await connection.run { db in
            for outcome in outcomes {
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT fee_id, amount_ore FROM fbs_part WHERE payment_id = ? AND position = ? AND state = 'waiting'
                    """, arguments: [outcome.key.payment, outcome.key.position]) else { continue }
                try db.execute(sql: """
                    UPDATE fbs_part SET state = ?, confirmation_id = ?, reason = ?, answered_at = ? WHERE payment_id = ? AND position = ?
                    """, arguments: [outcome.state.rawValue, outcome.confirmationID, outcome.reason, at.millisecondsSinceEpoch,
                                     outcome.key.payment, outcome.key.position])
                self.trail.append(at: at, "payment", outcome.key.payment, FBSPartSchema.trailEvent(outcome.state),
                                  cause: FBSPartSchema.trailCause(outcome, feeID: row["fee_id"], amount: Amount(ore: row["amount_ore"])))
            }
        }
    }

    func handOverFBSParts(cycleID: RowID, at: Instant, givingUpBefore: Instant, reason: String) async throws -> Int {
        try await connection.run { db in
            do {
                let stale = try Row.fetchAll(db, sql: """
                    SELECT payment_id, position, fee_id, amount_ore FROM fbs_part WHERE state = 'waiting' AND created_at < ?
                    ORDER BY payment_id, position
                    """, arguments: [givingUpBefore.millisecondsSinceEpoch])
                try db.execute(sql: FBSPartSchema.giveUp(before: "\(givingUpBefore.millisecondsSinceEpoch)",
                                                         at: "\(at.millisecondsSinceEpoch)", reason: reason))
                for row in stale {
                    let outcome = FBSPartOutcome(key: FBSPartKey(payment: row["payment_id"], position: row["position"]), state: .worklist,
                                                 confirmationID: nil, reason: reason)
                    self.trail.append(at: at, "payment", outcome.key.payment, FBSPartSchema.trailEvent(.worklist),
                                      cause: FBSPartSchema.trailCause(outcome, feeID: row["fee_id"], amount: Amount(ore: row["amount_ore"])),
                                      cycle: cycleID)
                }
            }
            let parts = try Row.fetchAll(db, sql: """
                SELECT a.id, a.payment_id, a.amount_ore FROM fbs_part f
                CROSS JOIN allocation_part a ON a.payment_id = f.payment_id AND a.position = f.position AND a.void_id IS NULL
                WHERE f.handed_over_cycle IS NULL AND f.state IN ('worklist', 'refund') ORDER BY a.id
                """)
            guard !parts.isEmpty else { return 0 }
            for part in parts {
                try db.execute(sql: "UPDATE allocation_part SET cycle_id = ? WHERE id = ?", arguments: [cycleID, part["id"] as RowID])
            }
            try db.execute(sql: """
                UPDATE fbs_part SET handed_over_cycle = ? WHERE handed_over_cycle IS NULL AND state IN ('worklist', 'refund')
                """, arguments: [cycleID])
            try SQLiteAllocationRuns.add(db, cycle: cycleID, channel: PaymentChannel.fbs.rawValue, parts: parts.count,
                                         sum: parts.reduce(0) { $0 + ($1["amount_ore"] as Int) },
                                         payments: Set(parts.map { $0["payment_id"] as RowID }).count, reversals: 0)
            return parts.count
        }
    }
}
