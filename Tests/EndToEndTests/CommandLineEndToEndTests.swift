import Foundation
import Testing

/// cli.md and claims-snapshot.md, through the executable.
@Suite("cli.md and claims-snapshot.md end to end", .serialized)
struct CommandLineEndToEndTests {
    @Test("init: writes a commented kioskbridge.toml with the csv profile and the two claim types, and its folders; refuses to overwrite")
    func initCommand() throws {
        let bridge = try BridgeFixture()
        let config = bridge.text(URL(fileURLWithPath: bridge.config))
        #expect(config.contains("profile = \"csv\""))
        #expect(config.contains("BIBLIOTEKSGEBYR = "))
        #expect(config.contains("ERSTATNING = "))
        for folder in ["inbox", "outbox", "archive", "rejected", "worklist"] {
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: bridge.root.appendingPathComponent(folder).path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
        let again = BridgeFixture.run(["init", bridge.root.path])
        #expect(again.status == 64)
        #expect(again.stderr.contains("already exists"))
    }

    @Test("Options come after the subcommand; --json prints one JSON document and nothing else on stdout")
    func optionsAfterSubcommand() throws {
        let bridge = try BridgeFixture()
        let result = BridgeFixture.run(["cycle", "--config", bridge.config, "--now", "2026-11-21T14:20:00+01:00", "--json"])
        #expect(result.status == 0)
        let json = result.json
        for key in ["files_accepted", "files_rejected", "files_duplicate", "records_rejected", "payments_exported",
                    "reversals_exported", "surplus_payments"] {
            #expect(json[key] is Int, "\(key)")
        }
        for key in ["export_files", "worklist_files", "warnings"] { #expect(json[key] is [Any], "\(key)") }
    }

    @Test("Configuration: an unknown key is a usage error (64) naming the file and the key")
    func unknownKey() throws {
        let bridge = try BridgeFixture { $0 = $0.replacingOccurrences(of: "[inbox]\n", with: "[inbox]\nsetle_seconds = 3\n") }
        let result = bridge.cycle()
        #expect(result.status == 64)
        #expect(result.stderr.contains("setle_seconds"))
        #expect(result.stderr.contains(bridge.config))
    }

    @Test("Configuration: a bad value is a usage error naming the key and what was expected", arguments: [
        ("fbs_claims = \"skip\"", "fbs_claims = \"sometimes\"", "fbs_claims"),
        ("minutes = 20", "minutes = 7", "minutes"),
        ("profile = \"csv\"", "profile = \"pdf\"", "profile"),
        ("runs = \"business-days 21:00\"", "runs = \"whenever\"", "runs"),
        ("port = 8080", "port = \"eighty\"", "port"),
    ])
    func badValues(old: String, new: String, key: String) throws {
        let bridge = try BridgeFixture { $0 = $0.replacingOccurrences(of: old, with: new) }
        let result = bridge.cycle()
        #expect(result.status == 64)
        #expect(result.stderr.contains(key))
    }

    @Test("Configuration: a missing file is a usage error (64)")
    func missingConfig() {
        let result = BridgeFixture.run(["cycle", "--config", "/nonexistent/kioskbridge.toml"])
        #expect(result.status == 64)
    }

    @Test("Configuration: found through $KIOSKBRIDGE_CONFIG; relative paths are relative to the file's folder")
    func configFromEnvironment() throws {
        let bridge = try BridgeFixture()
        let result = BridgeFixture.run(["report", "--json", "--date", "2026-11-21"], environment: ["KIOSKBRIDGE_CONFIG": bridge.config])
        #expect(result.status == 0)
    }

    @Test("A second cycle on the same bridge exits 75 at once")
    func lockHeld() throws {
        let bridge = try BridgeFixture(settleSeconds: 3)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let process = Process()
        process.executableURL = BridgeFixture.executable
        process.arguments = ["cycle", "--config", bridge.config, "--now", "2026-11-21T14:20:00+01:00"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 0.8)
        let started = Date()
        let second = bridge.cycle()
        #expect(second.status == 75)
        #expect(Date().timeIntervalSince(started) < 2)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("--now must be a timestamp (64)")
    func badNow() throws {
        let bridge = try BridgeFixture()
        #expect(bridge.cycle(at: "yesterday").status == 64)
    }

    @Test("claims import: a snapshot with a bad trailer is refused with exit 65 and nothing changes")
    func badSnapshot() throws {
        let bridge = try BridgeFixture()
        #expect(try bridge.importClaims(sampleClaims).status == 0)
        let result = try bridge.importClaims(sampleClaims.replacingOccurrences(of: "T;3;190,00", with: "T;3;199,00")
            .replacingOccurrences(of: "2026-11-21T06:00", with: "2026-11-22T06:00"), name: "bad.csv", at: "2026-11-22T06:30:00+01:00")
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 6"))
        #expect(result.stderr.contains("190,00"))
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        #expect((bridge.receipt("B-1").first?["allocations"] as? [[String: Any]])?.first?["claim_id"] as? String == "F-1001")
    }

    @Test("claims import: an older snapshot of the same source is refused (65) naming both times; the same as-of time replaces")
    func olderSnapshotRefused() throws {
        let bridge = try BridgeFixture()
        #expect(try bridge.importClaims(sampleClaims).status == 0)
        #expect(try bridge.importClaims(sampleClaims, name: "again.csv").status == 0)
        let older = try bridge.importClaims(sampleClaims.replacingOccurrences(of: "2026-11-21T06:00:00", with: "2026-11-20T06:00:00"),
                                            name: "older.csv")
        #expect(older.status == 65)
        #expect(older.stderr.contains("2026-11-20T06:00:00+01:00"))
        #expect(older.stderr.contains("2026-11-21T06:00:00+01:00"))
    }

    @Test("claims import: a snapshot replaces the previous one of the same source as a whole")
    func snapshotReplaces() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        let replacement = """
            H;1;DEBTOR;2026-11-21T12:00:00+01:00
            C;F-1002;0101901234;BIBLIOTEKSGEBYR;2026-10-03;2026-10-17;20,00;20,00;DEBTOR
            T;1;20,00

            """
        #expect(try bridge.importClaims(replacement, name: "r.csv", at: "2026-11-21T12:30:00+01:00").status == 0)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", type: "ERSTATNING", receipt: "B-1").line]))
        _ = bridge.cycle()
        #expect((bridge.receipt("B-1").first?["fbs_only_claims"] as? [Any])?.isEmpty == true)
    }

    @Test("claims import: each source replaces only its own claims; a claim id in both is the debtor's")
    func sourcesAreSeparate() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        let fbs = """
            H;1;FBS;2026-11-21T05:00:00+01:00
            C;F-0999;0101901234;ERSTATNING;2026-06-10;;300,00;300,00;FBS
            C;F-0500;0101901234;ERSTATNING;2026-05-10;;80,00;80,00;FBS
            T;2;380,00

            """
        #expect(try bridge.importClaims(fbs, name: "fbs.csv").status == 0)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        let blocking = (bridge.receipt("B-1").first?["fbs_only_claims"] as? [[String: Any]]) ?? []
        #expect(blocking.map { $0["claim_id"] as? String } == ["F-0500", "F-0999"])
        #expect(blocking.last?["outstanding_ore"] as? Int == 15_000)
    }

    @Test("receipt --json: the shape of cli.md, with CPR masked and expected_in_fbs from [debtor] runs")
    func receiptJSON() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("KIOSK-0042_20261121141500_000123.csv", KioskCSV.file(sequence: 123, records: [
            KioskCSV.D(id: "K42-20261121-0001", receipt: "B-000981").line,
        ]))
        _ = bridge.cycle()
        let result = bridge.run(["receipt", "B-000981"], now: "2026-11-21T15:00:00+01:00")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("0101901234"))
        let json = result.json
        #expect(json["query"] as? String == "B-000981")
        let match = (json["matches"] as? [[String: Any]])?.first ?? [:]
        #expect(match["transaction_id"] as? String == "K42-20261121-0001")
        #expect(match["kiosk_id"] as? String == "KIOSK-0042")
        #expect(match["receipt"] as? String == "B-000981")
        #expect(match["paid_at"] as? String == "2026-11-21T14:02:11+01:00")
        #expect(match["payer"] as? String == "010190-****")
        #expect(match["claim_type"] as? String == "BIBLIOTEKSGEBYR")
        #expect(match["amount_ore"] as? Int == 4000)
        #expect(match["tender"] as? String == "CASH")
        #expect(match["status"] as? String == "exported")
        #expect(match["reason"] is NSNull)
        #expect(match["source_file"] as? String == "KIOSK-0042_20261121141500_000123.csv")
        let parts = match["allocations"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["claim_id"] as? String } == ["F-1001", "F-1002"])
        #expect(parts.map { $0["amount_ore"] as? Int } == [2000, 2000])
        #expect(parts.allSatisfy { $0["kind"] as? String == "PAYMENT" })
        let export = match["export"] as? [String: Any] ?? [:]
        #expect(export["profile"] as? String == "csv")
        #expect(export["file"] as? String == "kioskpay_20261121_000001.csv")
        #expect(export["sequence"] as? Int == 1)
        #expect(export["at"] as? String == "2026-11-21T14:20:00+01:00")
        #expect(match["expected_in_fbs"] as? String == "2026-11-23T21:00:00+01:00")
        let blocking = match["fbs_only_claims"] as? [[String: Any]] ?? []
        #expect(blocking.first?["claim_id"] as? String == "F-0999")
    }

    @Test("receipt: found by transaction id and by CPR with or without hyphen; the query is never echoed whole")
    func receiptQueries() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        #expect(bridge.receipt("K42-1").count == 1)
        #expect(bridge.receipt("0101901234").count == 1)
        let hyphen = bridge.run(["receipt", "010190-1234"], now: "2026-11-21T15:00:00+01:00")
        #expect((hyphen.json["matches"] as? [Any])?.count == 1)
        #expect(hyphen.json["query"] as? String == "010190-****")
        for whole in ["010190-1234", "0101901234"] {
            #expect(!hyphen.stdout.contains(whole))
            #expect(!hyphen.stderr.contains(whole))
        }
        #expect(bridge.receipt("B-404").isEmpty)
    }

    @Test("receipt: a payment waiting for its cycle is 'received'")
    func receivedStatus() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.run(["ingest"]).status == 0)
        let match = bridge.receipt("B-1").first
        #expect(match?["status"] as? String == "received")
        #expect(match?["export"] is NSNull)
    }

    @Test("receipt: a payment in a rejected file is found, with the file's reason")
    func rejectedFileRecordsFound() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line], trailer: "T;1;1,00"))
        _ = bridge.cycle()
        let match = bridge.receipt("B-1").first
        #expect(match?["status"] as? String == "rejected")
        #expect((match?["reason"] as? String)?.contains("trailer") == true || (match?["reason"] as? String)?.contains("sum") == true)
    }

    @Test("report: per kiosk per day, received = exported + voided + rejected + pending")
    func reportBalances() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.D(id: "K42-2", amount: "10,00", receipt: "B-2").line,
            KioskCSV.V(id: "K42-3", voids: "K42-2", amount: "10,00").line,
            KioskCSV.D(id: "K42-4", payer: "123", amount: "5,00", receipt: "B-4").line,
        ]))
        _ = bridge.cycle()
        let report = bridge.run(["report", "--date", "2026-11-21"]).json
        let kiosk = (report["kiosks"] as? [[String: Any]])?.first ?? [:]
        func figure(_ key: String) -> (Int, Int) {
            let value = kiosk[key] as? [String: Any] ?? [:]
            return (value["count"] as? Int ?? -1, value["sum_ore"] as? Int ?? -1)
        }
        #expect(figure("received") == (3, 5500))
        #expect(figure("exported") == (1, 4000))
        #expect(figure("voided") == (1, 1000))
        #expect(figure("rejected") == (1, 500))
        #expect(figure("pending") == (0, 0))
    }

    @Test("demo: runs the sample day in a fresh temporary folder and shows a receipt lookup")
    func demo() throws {
        let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleFiles").path
        let result = BridgeFixture.run(["demo", "--samples", samples])
        #expect(result.status == 0)
        #expect(result.stdout.contains("B-000981"))
        #expect(result.stdout.contains("kioskpay_20261121_000001.csv"))
        #expect(!result.stdout.contains("0101901234"))
        #expect(!result.stderr.contains("0101901234"))
    }
}
