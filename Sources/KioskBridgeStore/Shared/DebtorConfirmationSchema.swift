public import KioskBridgeCore

/// The tables of the debtor's confirmations, the same on every backend: each payment and
/// reversal exported to the debtor system (one row per payment or void, written when the
/// first DEBTOR batch that carries it is published), and each DEBTOR snapshot that confirmed
/// any of them.
///
/// On upgrade, what was exported before the loaded DEBTOR snapshot's as-of time counts as
/// confirmed by that snapshot (rule `upgrade`): the bridge kept no confirmations before,
/// and years of history must not all turn up as unconfirmed. Later exports wait for the
/// next snapshot (docs/decisions.md).
public enum DebtorConfirmationSchema {
    /// The migration, for a backend whose tables are named by `table`, whose 64-bit integer
    /// type is `integer`, whose counted row ids are declared `identity` and whose key-only
    /// tables end with `withoutRowID`.
    public static func sql(table: (String) -> String = { $0 }, integer: String, identity: String, withoutRowID: String) -> String {
        let confirmation = table("debtor_confirmation"), export = table("debtor_export")
        return """
            CREATE TABLE \(confirmation) (
                id \(identity),
                as_of \(integer) NOT NULL,
                loaded_at \(integer) NOT NULL,
                file_name TEXT NOT NULL,
                rule TEXT NOT NULL CHECK (rule IN ('listed', 'as-of', 'upgrade')),
                payments \(integer) NOT NULL,
                reversals \(integer) NOT NULL,
                sum_ore \(integer) NOT NULL
            );
            CREATE TABLE \(export) (
                subject TEXT NOT NULL CHECK (subject IN ('payment', 'void')),
                subject_id \(integer) NOT NULL,
                kiosk_id TEXT NOT NULL,
                taken_at \(integer) NOT NULL,
                cycle_id \(integer) NOT NULL,
                exported_at \(integer) NOT NULL,
                amount_ore \(integer) NOT NULL,
                confirmation_id \(integer) REFERENCES \(confirmation)(id),
                PRIMARY KEY (subject, subject_id)
            )\(withoutRowID);
            CREATE INDEX debtor_export_unconfirmed ON \(export)(exported_at) WHERE confirmation_id IS NULL;
            CREATE INDEX debtor_export_taken ON \(export)(taken_at);
            INSERT INTO \(export) (subject, subject_id, kiosk_id, taken_at, cycle_id, exported_at, amount_ore)
            SELECT CASE WHEN a.void_id IS NULL THEN 'payment' ELSE 'void' END, COALESCE(a.void_id, a.payment_id), p.kiosk_id,
                   COALESCE(v.voided_at, p.paid_at), MIN(a.cycle_id), MIN(e.exported_at), SUM(a.amount_ore)
            FROM \(table("allocation_part")) a
            JOIN (SELECT r.cycle_id, MIN(b.created_at) AS exported_at
                  FROM \(table("export_batch_run")) r JOIN \(table("export_batch")) b ON b.id = r.batch_id
                  WHERE b.channel = 'DEBTOR' AND b.state = 'published' GROUP BY r.cycle_id) e ON e.cycle_id = a.cycle_id
            JOIN \(table("payment")) p ON p.id = a.payment_id
            LEFT JOIN \(table("void")) v ON v.id = a.void_id
            WHERE a.channel = 'DEBTOR'
            GROUP BY a.payment_id, a.void_id, p.kiosk_id, p.paid_at, v.voided_at;
            INSERT INTO \(confirmation) (as_of, loaded_at, file_name, rule, payments, reversals, sum_ore)
            SELECT s.as_of, s.loaded_at, s.file_name, 'upgrade',
                   (SELECT COUNT(*) FROM \(export) WHERE subject = 'payment' AND exported_at < s.as_of),
                   (SELECT COUNT(*) FROM \(export) WHERE subject = 'void' AND exported_at < s.as_of),
                   (SELECT COALESCE(SUM(amount_ore), 0) FROM \(export) WHERE exported_at < s.as_of)
            FROM \(table("claims_snapshot")) s
            WHERE s.source = 'DEBTOR' AND EXISTS (SELECT 1 FROM \(export) WHERE exported_at < s.as_of);
            UPDATE \(export) SET confirmation_id = (SELECT MAX(id) FROM \(confirmation))
            WHERE exported_at < (SELECT MAX(as_of) FROM \(confirmation));
            """
    }

    /// The condition on `debtor_export e` for exports a DEBTOR snapshot with `P` records
    /// reflects: the payment, or the void, is listed.
    public static func listed(table: (String) -> String = { $0 }) -> String {
        """
        (e.subject, e.subject_id) IN (
            SELECT 'payment', p.id FROM \(table("applied_transaction")) t
            JOIN \(table("payment")) p ON p.kiosk_id = t.kiosk_id AND p.transaction_id = t.transaction_id WHERE t.source = 'DEBTOR'
            UNION ALL
            SELECT 'void', v.id FROM \(table("applied_transaction")) t
            JOIN \(table("void")) v ON v.kiosk_id = t.kiosk_id AND v.void_id = t.transaction_id WHERE t.source = 'DEBTOR')
        """
    }

    /// The statement that records a published DEBTOR batch's payments and reversals:
    /// `cycles` are the cycles of the batch's runs (its DEBTOR parts are theirs) and
    /// `exportedAt` its creation time, as SQL literals. A payment another profile's batch
    /// carried first keeps that batch's time. The cycles are written out so that
    /// PostgreSQL's planner sees them: from the batch id it could not know them, and planned
    /// a scan of every part ever allocated (585 ms on a million payments, growing with the
    /// database). The parts are grouped by the payment's and the void's keys only: the other
    /// columns depend on those, and the narrower sort key took the statement from 2.9 to
    /// 3.3 s down to 2.4 to 2.5 s on a million payments in SQLite (docs/performance.md).
    public static func recordExports(table: (String) -> String = { $0 }, cycles: [Int64], exportedAt: Instant) -> String {
        let taken = cycles.isEmpty ? "FALSE" : "a.cycle_id IN (\(cycles.map(String.init).joined(separator: ", ")))"
        return """
            INSERT INTO \(table("debtor_export")) (subject, subject_id, kiosk_id, taken_at, cycle_id, exported_at, amount_ore)
            SELECT CASE WHEN a.void_id IS NULL THEN 'payment' ELSE 'void' END, COALESCE(a.void_id, p.id), p.kiosk_id,
                   COALESCE(v.voided_at, p.paid_at), MIN(a.cycle_id), \(exportedAt.millisecondsSinceEpoch), SUM(a.amount_ore)
            FROM \(table("allocation_part")) a
            JOIN \(table("payment")) p ON p.id = a.payment_id
            LEFT JOIN \(table("void")) v ON v.id = a.void_id
            WHERE a.channel = 'DEBTOR' AND \(taken)
            GROUP BY p.id, a.void_id, v.id
            ON CONFLICT DO NOTHING
            """
    }

    /// The condition on `debtor_export e` for the exports a DEBTOR snapshot reflects:
    /// listed in its `P` records, or, without them, exported before its as-of time (the
    /// backend binds that time where this says `asOf`).
    public static func reflected(by snapshot: StoredSnapshot, table: (String) -> String = { $0 }, asOf: String) -> String {
        snapshot.appliedRecords > 0 ? listed(table: table) : "e.exported_at < \(asOf)"
    }

    public static func rule(of snapshot: StoredSnapshot) -> String { snapshot.appliedRecords > 0 ? "listed" : "as-of" }
}
