import GRDB
import KioskBridgeStore

/// `allocation_run`: what each cycle allocated (or reversed) per channel. A batch takes up
/// whole runs, so its lines and sum are the runs' totals.
enum SQLiteAllocationRuns {
    /// Adds to the run of (cycle, channel), creating it.
    static func add(_ db: Database, cycle: RowID, channel: String, parts: Int, sum: Int, payments: Int, reversals: Int) throws {
        try db.cachedStatement(sql: """
            INSERT INTO allocation_run (cycle_id, channel, parts, sum_ore, payments, reversals) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (cycle_id, channel) DO UPDATE SET parts = parts + excluded.parts, sum_ore = sum_ore + excluded.sum_ore,
                payments = payments + excluded.payments, reversals = reversals + excluded.reversals
            """).execute(arguments: [cycle, channel, parts, sum, payments, reversals])
    }

    /// Takes a payment's parts out of their runs' totals, before they are deleted (a void
    /// of a payment allocated but never exported).
    static func takeBack(_ db: Database, payment: RowID) throws {
        let runs = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT cycle_id, channel, COUNT(*) AS parts, SUM(amount_ore) AS sum_ore FROM allocation_part
            WHERE payment_id = ? AND void_id IS NULL GROUP BY cycle_id, channel
            """), arguments: [payment])
        for run in runs {
            try db.cachedStatement(sql: """
                UPDATE allocation_run SET parts = parts - ?, sum_ore = sum_ore - ?, payments = payments - 1
                WHERE cycle_id = ? AND channel = ?
                """).execute(arguments: [run["parts"] as Int, run["sum_ore"] as Int, run["cycle_id"] as RowID, run["channel"] as String])
        }
    }
}
