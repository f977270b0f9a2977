import Foundation
import GRDB
import Testing

/// The debtor's confirmations (allocation.md's "reflected" rule, cli.md's
/// `debtor_confirmed_at`), through the executable: receipt, report, status and metrics.
@Suite("The debtor's confirmations end to end", .serialized)
struct ConfirmationEndToEndTests {
    typealias D = KioskCSV.D

    /// A DEBTOR snapshot with no claims, as of `asOf`, listing `applied` in P records.
    static func snapshot(asOf: String, applied: [String]) -> String {
        (["H;1;DEBTOR;\(asOf)"] + applied.map { "P;KIOSK-0042;\($0)" } + ["T;0;0,00", ""]).joined(separator: "\n")
    }

    func check(_ bridge: BridgeFixture, at now: String) -> (level: String, message: String) {
        let checks = bridge.run(["status"], now: now).json["checks"] as? [[String: Any]] ?? []
        let check = checks.first { $0["name"] as? String == "debtor-confirmation" }
        return (check?["level"] as? String ?? "missing", check?["message"] as? String ?? "")
    }

    /// Two payments (B-1, B-2, 40 kr. each) exported on Saturday 21 November 2026 at 14:20.
    func exportedBridge() throws -> BridgeFixture {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line, D(id: "K42-2", receipt: "B-2").line]))
        #expect(bridge.cycle().status == 0)
        return bridge
    }

    @Test("debtorConfirmedAt: receipt shows null until a DEBTOR snapshot lists the payment, then the snapshot's as-of time")
    func debtorConfirmedAt() throws {
        let bridge = try exportedBridge()
        #expect(bridge.receipt("B-1").first?["debtor_confirmed_at"] is NSNull)
        let loaded = try bridge.importClaims(Self.snapshot(asOf: "2026-11-24T06:00:00+01:00", applied: ["K42-1"]), at: "2026-11-24T06:30:00+01:00")
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.json["confirmed_payments"] as? Int == 1)
        #expect(bridge.receipt("B-1", at: "2026-11-24T07:00:00+01:00").first?["debtor_confirmed_at"] as? String == "2026-11-24T06:00:00+01:00")
        #expect(bridge.receipt("B-2", at: "2026-11-24T07:00:00+01:00").first?["debtor_confirmed_at"] is NSNull)
        let text = bridge.run(["receipt", "B-1"], now: "2026-11-24T07:00:00+01:00", json: false).stdout
        #expect(text.contains("Bekræftet af debitorsystemet"))
        #expect(text.contains("claims.csv"))
    }

    @Test("report: per day and kiosk, what went to the debtor and what a snapshot confirmed, with the unconfirmed listed")
    func reportConfirmedSums() throws {
        let bridge = try exportedBridge()
        _ = try bridge.importClaims(Self.snapshot(asOf: "2026-11-24T06:00:00+01:00", applied: ["K42-1"]), at: "2026-11-24T06:30:00+01:00")
        let report = bridge.run(["report", "--date", "2026-11-21"], now: "2026-11-24T07:00:00+01:00").json
        let kiosk = (report["kiosks"] as? [[String: Any]])?.first { $0["kiosk_id"] as? String == "KIOSK-0042" } ?? [:]
        #expect(kiosk["debtor_exported"] as? [String: Int] == ["count": 2, "sum_ore": 8000])
        #expect(kiosk["debtor_confirmed"] as? [String: Int] == ["count": 1, "sum_ore": 4000])
        #expect((kiosk["debtor_unconfirmed"] as? [[String: Any]])?.compactMap { $0["receipt"] as? String } == ["B-2"])
        let text = bridge.run(["report", "--date", "2026-11-21"], now: "2026-11-24T07:00:00+01:00", json: false).stdout
        #expect(text.contains("1 not yet confirmed"))
    }

    @Test("status: an export unconfirmed after [debtor] confirm_within_business_days is a warning naming the oldest, critical at twice that")
    func statusWarnsOfUnconfirmed() throws {
        let bridge = try exportedBridge()
        // Tuesday: Saturday's export is not yet 2 business days old.
        #expect(check(bridge, at: "2026-11-24T10:00:00+01:00").level == "ok")
        // Wednesday: Monday and Tuesday have passed.
        let warning = check(bridge, at: "2026-11-25T10:00:00+01:00")
        #expect(warning.level == "warning")
        #expect(warning.message.contains("2 export(s)"))
        #expect(warning.message.contains("80,00 kr."))
        #expect(warning.message.contains("receipt B-1"))
        // The next Monday: more than 4 business days.
        #expect(check(bridge, at: "2026-11-30T10:00:00+01:00").level == "critical")
        #expect(bridge.run(["status"], now: "2026-11-30T10:00:00+01:00").status == 2)
        // A snapshot without P records confirms whatever was exported before its as-of time.
        _ = try bridge.importClaims(Self.snapshot(asOf: "2026-11-25T06:00:00+01:00", applied: []), at: "2026-11-25T06:30:00+01:00")
        #expect(check(bridge, at: "2026-11-30T10:00:00+01:00").level == "ok")
    }

    @Test("Upgrading: exports before the loaded DEBTOR snapshot's as-of time count as confirmed by it; later ones wait for the next")
    func upgradeConfirmsWhatTheLoadedSnapshotCovers() throws {
        let bridge = try BridgeFixture(backend: .sqlite)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().status == 0)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [D(id: "K42-2", receipt: "B-2").line]))
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        // The database as a bridge from before confirmations left it, with a snapshot as of
        // 14:30 loaded: between the two exports.
        let database = try DatabaseQueue(path: bridge.root.appendingPathComponent("kioskbridge.sqlite").path)
        try database.write { db in
            try db.execute(sql: """
                DROP TABLE debtor_export;
                DROP TABLE debtor_confirmation;
                DELETE FROM grdb_migrations WHERE identifier = '11-debtor-confirmation';
                INSERT INTO claims_snapshot (source, as_of, loaded_at, file_name, sha256, claims, outstanding_ore, applied_records)
                VALUES ('DEBTOR', 1795267800000, 1795267860000, 'debtor-1430.csv', 'x', 0, 0, 1);
                """)
        }
        try database.close()
        let first = bridge.receipt("B-1", at: "2026-11-25T10:00:00+01:00").first
        #expect(first?["debtor_confirmed_at"] as? String == "2026-11-21T14:30:00+01:00")
        #expect(first?["debtor_confirmed_by"] as? String == "debtor-1430.csv")
        let second = bridge.receipt("B-2", at: "2026-11-25T10:00:00+01:00").first
        #expect(second?["status"] as? String == "exported")
        #expect(second?["debtor_confirmed_at"] is NSNull)
        let warning = check(bridge, at: "2026-11-25T10:00:00+01:00")
        #expect(warning.level == "warning")
        #expect(warning.message.contains("1 export(s)"))
        #expect(warning.message.contains("receipt B-2"))
        #expect(bridge.run(["audit", "verify"], now: "2026-11-25T10:00:00+01:00").status == 0)
    }
}
