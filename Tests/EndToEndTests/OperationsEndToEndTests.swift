import Foundation
import Testing

/// Reconciliation, status and alerts (operations), through the executable.
@Suite("Reconciliation, status and alerts end to end", .serialized)
struct OperationsEndToEndTests {
    func reconcile(_ bridge: BridgeFixture, date: String = "2026-11-21", now: String = "2026-11-21T23:00:00+01:00") -> [String: Any] {
        bridge.run(["report", "--date", date], now: now).json
    }

    func kiosk(_ report: [String: Any], _ id: String = "KIOSK-0042") -> [String: Any] {
        (report["kiosks"] as? [[String: Any]])?.first { $0["kiosk_id"] as? String == id } ?? [:]
    }

    func differences(_ kiosk: [String: Any]) -> [String] { kiosk["differences"] as? [String] ?? [] }

    @Test("report: a day where everything was exported or voided is settled, and received = exported + voided + rejected + pending")
    func settledDay() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", amount: "12,50", tender: "CARD", receipt: "B-2").line,
            KioskCSV.V(id: "K42-3", voids: "K42-2", amount: "12,50").line,
        ]))
        _ = bridge.cycle()
        let report = reconcile(bridge)
        #expect(report["settled"] as? Bool == true)
        let day = kiosk(report)
        #expect((day["received"] as? [String: Int])?["sum_ore"] == 5250)
        #expect((day["exported"] as? [String: Int])?["sum_ore"] == 4000)
        #expect((day["voided"] as? [String: Int])?["sum_ore"] == 1250)
        #expect(day["balanced"] as? Bool == true)
        #expect(differences(day).isEmpty)
        #expect(((day["by_tender"] as? [String: Any])?["CARD"] as? [String: Int])?["count"] == 1)
        #expect((day["export_files"] as? [[String: Any]])?.first?["file"] as? String == "kioskpay_20261121_000001.csv")
    }

    @Test("report: a missing kiosk file breaks the day, and the difference names the missing sequence")
    func missingFile() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        try bridge.drop("c.csv", KioskCSV.file(sequence: 3, records: [KioskCSV.D(id: "K42-3", receipt: "B-3").line]))
        _ = bridge.cycle()
        let day = kiosk(reconcile(bridge))
        #expect(differences(day).contains { $0.contains("kiosk file 2 is missing") })
        #expect(day["receipt_gaps"] as? [String] == ["B-2"])
    }

    @Test("report: a rejected record keeps the day open, located by receipt, file and reason")
    func rejectedRecord() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.D(id: "K42-2", type: "PARKERING", amount: "20,00", receipt: "B-2").line,
        ]))
        _ = bridge.cycle()
        let report = reconcile(bridge)
        #expect(report["settled"] as? Bool == false)
        let day = kiosk(report)
        #expect((day["rejected"] as? [String: Int])?["sum_ore"] == 2000)
        #expect(day["balanced"] as? Bool == true)
        #expect(differences(day).contains { $0.contains("B-2") && $0.contains("a.csv") && $0.contains("claim type") })
    }

    @Test("report: a record rejected and then sent again corrected counts once")
    func correctedRecordCountsOnce() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", type: "PARKERING", receipt: "B-1").line]))
        _ = bridge.cycle()
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        let day = kiosk(reconcile(bridge))
        #expect((day["received"] as? [String: Int])?["count"] == 1)
        #expect(differences(day).isEmpty)
    }

    @Test("report: a pending payment is located")
    func pendingPayment() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.run(["ingest"])
        let day = kiosk(reconcile(bridge))
        #expect((day["pending"] as? [String: Int])?["sum_ore"] == 4000)
        #expect(differences(day).contains { $0.contains("pending") && $0.contains("B-1") })
    }

    @Test("report: the running total is carried from the day before; a file for a closed day that arrives late breaks the chain visibly, once")
    func runningTotalChain() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        _ = bridge.cycle(at: "2026-11-22T07:00:00+01:00")   // closes the 21st
        var day = kiosk(reconcile(bridge, date: "2026-11-22", now: "2026-11-22T08:00:00+01:00"))
        #expect(day["opening_ore"] as? Int == 4000)
        // A file for the 21st arrives on the 22nd, after the 21st was closed.
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-22T09:10:00+01:00", records: [
            KioskCSV.D(id: "K42-2", paidAt: "2026-11-21T16:00:00+01:00", amount: "10,00", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", paidAt: "2026-11-22T09:00:00+01:00", amount: "5,00", receipt: "B-3").line,
        ]))
        _ = bridge.cycle(at: "2026-11-22T09:20:00+01:00")
        day = kiosk(reconcile(bridge, date: "2026-11-22", now: "2026-11-22T10:00:00+01:00"))
        #expect(day["opening_ore"] as? Int == 5000)
        #expect(day["closing_ore"] as? Int == 5500)
        #expect(differences(day).contains { $0.contains("running total") && $0.contains("10,00") })
        // The 22nd is closed from where the 21st's closing left off: the late payment counts
        // there, and the chain holds again.
        _ = bridge.cycle(at: "2026-11-23T07:00:00+01:00")
        day = kiosk(reconcile(bridge, date: "2026-11-23", now: "2026-11-23T08:00:00+01:00"))
        #expect(day["opening_ore"] as? Int == 5500)
        #expect(day["recorded_previous_closing_ore"] as? Int == 5500)
        #expect(!differences(day).contains { $0.contains("running total") })
    }

    @Test("report --csv is one ;-separated row per kiosk plus totals; --html is a printable page")
    func csvAndHTML() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(location: "\"Åbyhøj; Syd\"", sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        let csv = bridge.run(["report", "--date", "2026-11-21", "--csv"], json: false).stdout.split(separator: "\n")
        #expect(csv.count == 3)
        #expect(csv[0].hasPrefix("date;kiosk_id;location;received_count;received_kr"))
        #expect(csv[1].hasPrefix("2026-11-21;KIOSK-0042;\"Åbyhøj; Syd\";1;40,00;1;40,00;"))
        let html = bridge.run(["report", "--date", "2026-11-21", "--html"], json: false).stdout
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Åbyhøj; Syd"))
        #expect(html.contains("@media print"))
    }

    func status(_ bridge: BridgeFixture, at now: String) -> (code: Int32, checks: [String: String], json: [String: Any]) {
        let result = bridge.run(["status"], now: now)
        var checks: [String: String] = [:]
        for check in result.json["checks"] as? [[String: Any]] ?? [] {
            let name = check["name"] as? String ?? ""
            let level = check["level"] as? String ?? ""
            if (checks[name].map { $0 == "ok" } ?? true) { checks[name] = level }
        }
        return (result.status, checks, result.json)
    }

    /// A bridge with a fresh snapshot and three kiosk files, cycled and picked up by the debtor.
    func healthyBridge() throws -> BridgeFixture {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims, at: "2026-11-21T06:30:00+01:00")
        for (index, time) in ["14:20", "14:40", "15:00"].enumerated() {
            try bridge.drop("f\(index).csv", KioskCSV.file(sequence: index + 1, records: [KioskCSV.D(id: "K42-\(index)", receipt: "B-\(index)").line]))
            _ = bridge.cycle(at: "2026-11-21T\(time):00+01:00")
            for file in bridge.files(in: bridge.outbox) { try FileManager.default.removeItem(at: bridge.outbox.appendingPathComponent(file)) }
        }
        return bridge
    }

    @Test("status: a healthy bridge exits 0")
    func healthy() throws {
        let bridge = try healthyBridge()
        let result = status(bridge, at: "2026-11-21T15:05:00+01:00")
        #expect(result.code == 0, "\(result.json)")
        #expect(result.json["status"] as? String == "ok")
    }

    @Test("status: no claims snapshot, or a stale one, is a warning (exit 1)")
    func snapshotWarnings() throws {
        let fresh = try BridgeFixture()
        _ = fresh.cycle()
        #expect(status(fresh, at: "2026-11-21T14:25:00+01:00").checks["claims-snapshot"] == "warning")
        let bridge = try healthyBridge()
        let stale = status(bridge, at: "2026-11-23T15:00:00+01:00")
        #expect(stale.checks["claims-snapshot"] == "warning")
    }

    @Test("status: no cycle for three cycle intervals is critical (exit 2); a failed cycle is critical")
    func cycleCritical() throws {
        let bridge = try healthyBridge()
        let late = status(bridge, at: "2026-11-21T16:10:00+01:00")
        #expect(late.code == 2)
        #expect(late.checks["last-cycle"] == "critical")

        let failing = try BridgeFixture { config in
            config = config.replacingOccurrences(of: "# outbox = \"outbox\"  # this profile's folder", with: "outbox = \"kioskbridge.toml/out\"  #")
        }
        try failing.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(failing.cycle().status == 74)
        let result = status(failing, at: "2026-11-21T14:21:00+01:00")
        #expect(result.code == 2)
        #expect(result.checks["last-cycle"] == "critical")
    }

    @Test("status: files waiting long in the inbox, and files left in processing/, are warnings")
    func inboxAndProcessing() throws {
        let bridge = try healthyBridge()
        try bridge.drop("late.csv", "H;1;KIOSK-0042;L;9;2026-11-21T15:00:00+01:00\n")
        // Three hours before the status run's --now, whatever the wall clock says.
        let old = try #require(ISO8601DateFormatter().date(from: "2026-11-21T12:05:00+01:00"))
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: bridge.inbox.appendingPathComponent("late.csv").path)
        try Data("x".utf8).write(to: bridge.processing.appendingPathComponent("stuck.csv"))
        let result = status(bridge, at: "2026-11-21T15:05:00+01:00")
        #expect(result.checks["inbox"] == "warning")
        #expect(result.checks["processing"] == "warning")
        #expect(result.code == 1)
    }

    @Test("status: an export file the debtor has not picked up after outbox_pickup_cycles is a warning")
    func outboxNotPickedUp() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        _ = bridge.cycle(at: "2026-11-21T15:20:00+01:00")
        #expect(status(bridge, at: "2026-11-21T15:25:00+01:00").checks["outbox"] == "warning")
    }

    @Test("status: a kiosk silent for longer than its usual interval, a sequence gap and a file rejected today are warnings")
    func kioskWarnings() throws {
        let bridge = try healthyBridge()
        try bridge.drop("g.csv", KioskCSV.file(sequence: 5, records: [KioskCSV.D(id: "K42-5", receipt: "B-5").line]))
        try bridge.drop("bad.csv", KioskCSV.file(sequence: 6, records: [KioskCSV.D(id: "K42-6", receipt: "B-6").line], trailer: "T;1;1,00"))
        _ = bridge.cycle(at: "2026-11-21T15:20:00+01:00")
        for file in bridge.files(in: bridge.outbox) { try FileManager.default.removeItem(at: bridge.outbox.appendingPathComponent(file)) }
        let soon = status(bridge, at: "2026-11-21T15:25:00+01:00")
        #expect(soon.checks["sequence-gap"] == "warning")
        #expect(soon.checks["rejected-files"] == "warning")
        #expect(soon.checks["kiosk-silent"] == nil)
        let result = bridge.run(["status"], now: "2026-11-21T18:30:00+01:00")
        let checks = result.json["checks"] as? [[String: Any]] ?? []
        #expect(checks.contains { $0["name"] as? String == "kiosk-silent" && ($0["message"] as? String)?.contains("KIOSK-0042") == true })
    }

    @Test("alerts: the command runs when the status changes level, once per change, not once per cycle")
    func alertOncePerChange() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).log")
        let bridge = try BridgeFixture { config in
            config = config.replacingOccurrences(
                of: "# command = \"mail",
                with: "command = \"echo $KIOSKBRIDGE_PREVIOUS_STATUS-$KIOSKBRIDGE_STATUS >> \(log.path)\"\n# x = \"mail")
        }
        defer { try? FileManager.default.removeItem(at: log) }
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")     // no snapshot: warning
        _ = bridge.cycle(at: "2026-11-21T14:40:00+01:00")     // still warning: no new alert
        _ = try bridge.importClaims(sampleClaims, at: "2026-11-21T14:45:00+01:00")
        _ = bridge.cycle(at: "2026-11-21T15:00:00+01:00")     // healthy again: recovery
        let lines = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        #expect(lines == ["ok-warning", "warning-ok"])
    }

    @Test("alerts: a command that never reads the status and never ends is stopped at the timeout; the cycle finishes and it is tried again")
    func alertThatHangs() throws {
        // GNU sleep adds its arguments: the second one makes this test's command line its own,
        // so that another `sleep 600` on the machine is not taken for one left running.
        let command = "sleep 600 0.\(UInt32.random(in: 1...UInt32.max))"
        let bridge = try BridgeFixture { config in
            config = config.replacingOccurrences(of: "# command = \"mail", with: "command = \"\(command)\"\n# x = \"mail")
                .replacingOccurrences(of: "timeout_seconds = 30", with: "timeout_seconds = 1")
        }
        let started = Date()
        let result = bridge.cycle(at: "2026-11-21T14:20:00+01:00")     // no snapshot: warning, the command runs
        #expect(result.status == 0)
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(result.stderr.contains("did not finish within [alerts] timeout_seconds = 1.0 and was stopped"))
        let again = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(again.stderr.contains("did not finish within"))
        // The command's whole process group was stopped, not only the shell.
        let pgrep = Process()
        pgrep.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        pgrep.arguments = ["-f", "^\(command)$"]
        try pgrep.run()
        pgrep.waitUntilExit()
        #expect(pgrep.terminationStatus == 1)
    }
}
