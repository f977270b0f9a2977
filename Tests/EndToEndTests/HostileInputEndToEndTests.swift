import Foundation
import Testing

/// Hostile input is bounded everywhere: what one file holds never makes the bridge hold
/// it, print it or store it. Figures for the release build: scripts/bench --only-hostile.
@Suite("Hostile input: bounded memory, output and store, end to end", .serialized,
       .enabled(if: MeasuredRun.canMeasureMemory, "needs GNU time (/usr/bin/time, Debian package time) to measure peak memory"))
struct HostileInputEndToEndTests {
    static let header = "H;1;KIOSK-0042;Hovedbiblioteket;1;2026-11-21T14:15:00+01:00\n"
    static let paymentUpToReceipt = "D;K42-1;2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;40,00;CASH;B-"
    static let memoryLimitMB = 200.0
    static let outputLimit = 16 * 1024
    static let databaseGrowthLimit = 1 << 20

    /// The checks every huge input must pass: refused, under the memory limit, with output
    /// and database growth in kilobytes, and no long run of the value anywhere.
    func expectBounded(_ run: MeasuredRun, _ bridge: BridgeFixture, databaseBefore: Int, value: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(run.peakResidentMB < Self.memoryLimitMB, "peak \(run.peakResidentMB) MB", sourceLocation: sourceLocation)
        #expect(run.stdoutBytes < Self.outputLimit, "stdout \(run.stdoutBytes) bytes", sourceLocation: sourceLocation)
        #expect(run.stderrBytes < Self.outputLimit, "stderr \(run.stderrBytes) bytes", sourceLocation: sourceLocation)
        let stored = try bridge.storedBytes()
        let growth = stored.count - databaseBefore
        #expect(growth < Self.databaseGrowthLimit, "the store grew by \(growth) bytes", sourceLocation: sourceLocation)
        let long = String(repeating: value, count: 81)
        #expect(stored.range(of: Data(long.utf8)) == nil, "the store holds a long run of the value", sourceLocation: sourceLocation)
        #expect(!run.stdoutPrefix().contains(long), sourceLocation: sourceLocation)
        for name in bridge.files(in: bridge.rejected) where name.hasSuffix(".reason.txt") {
            let reason = bridge.text(bridge.rejected.appendingPathComponent(name))
            #expect(reason.utf8.count < 4096, sourceLocation: sourceLocation)
            #expect(!reason.contains(long), sourceLocation: sourceLocation)
        }
    }

    @Test("A 200,000,000-character field in a CSV kiosk file rejects the file at its line, under 200 MB, with output and the database bounded")
    func hugeCSVField() throws {
        let bridge = try BridgeFixture()
        let before = try bridge.storedBytes().count
        try bridge.writeLarge(bridge.inbox.appendingPathComponent("KIOSK-0042_20261121141500_000001.csv"), head: Self.header + Self.paymentUpToReceipt,
                              filler: UInt8(ascii: "9"), count: 200_000_000 - 2, tail: ";\nT;1;40,00\n")
        let run = bridge.measured(["cycle"])
        #expect(run.status == 0)
        try expectBounded(run, bridge, databaseBefore: before, value: "9")
        let reason = bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_20261121141500_000001.csv.reason.txt"))
        #expect(reason.contains("line 2: a line of at most 64 KiB (65,536 bytes)"))
        #expect(bridge.receipt("B-1").isEmpty)
    }

    @Test("A 200,000,000-character attribute in an XML kiosk file rejects the file, under 200 MB, with output and the database bounded")
    func hugeXMLAttribute() throws {
        let bridge = try BridgeFixture()
        let before = try bridge.storedBytes().count
        let head = """
            <?xml version="1.0" encoding="UTF-8"?>
            <KioskExport xmlns="urn:kioskbridge:kiosk-export:1" version="1" kioskId="KIOSK-0042" location="L" sequence="1" createdAt="2026-11-21T14:15:00+01:00">
            <Payment id="K42-1" paidAt="2026-11-21T14:02:11+01:00" payer="0101901234" claimType="BIBLIOTEKSGEBYR" amount="40.00" tender="CASH" receipt="B-
            """
        try bridge.writeLarge(bridge.inbox.appendingPathComponent("K.xml"), head: head, filler: UInt8(ascii: "9"), count: 200_000_000 - 2,
                              tail: "\"/>\n<Control count=\"1\" total=\"40.00\"/>\n</KioskExport>\n")
        let run = bridge.measured(["cycle"])
        #expect(run.status == 0)
        #expect(run.stdoutPrefix().contains("\"files_rejected\" : 1") || run.stdoutPrefix().contains("\"files_rejected\": 1"))
        try expectBounded(run, bridge, databaseBefore: before, value: "9")
        #expect(bridge.files(in: bridge.rejected) == ["K.xml", "K.xml.reason.txt"])
    }

    @Test("A 300 MB single line rejects the kiosk file at line 1, under 200 MB, with output and the database bounded")
    func hugeSingleLine() throws {
        let bridge = try BridgeFixture()
        let before = try bridge.storedBytes().count
        try bridge.writeLarge(bridge.inbox.appendingPathComponent("K.csv"), head: "", filler: UInt8(ascii: "x"), count: 300 << 20, tail: "")
        let run = bridge.measured(["cycle"])
        #expect(run.status == 0)
        try expectBounded(run, bridge, databaseBefore: before, value: "x")
        #expect(bridge.text(bridge.rejected.appendingPathComponent("K.csv.reason.txt")).contains("line 1: a line of at most 64 KiB"))
    }

    @Test("A claims snapshot with a 200,000,000-character field is refused (exit 65) under 200 MB; nothing is stored")
    func hugeSnapshotField() throws {
        let bridge = try BridgeFixture()
        let before = try bridge.storedBytes().count
        let path = bridge.root.appendingPathComponent("claims.csv")
        try bridge.writeLarge(path, head: "H;1;DEBTOR;2026-11-21T06:00:00+01:00\nC;F-", filler: UInt8(ascii: "7"), count: 200_000_000 - 2,
                              tail: ";0101901234;BIBLIOTEKSGEBYR;2026-09-01;2026-09-15;20,00;20,00;DEBTOR\nT;1;20,00\n")
        let run = bridge.measured(["claims", "import", path.path], now: "2026-11-21T06:30:00+01:00")
        #expect(run.status == 65)
        try expectBounded(run, bridge, databaseBefore: before, value: "7")
        #expect(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: run.stderrPath))) ?? Data(), as: UTF8.self)
            .contains("line 2: a line of at most 64 KiB"))
    }

    @Test("A value over 80 characters is quoted as 80 and its length in the reason, the JSON, the log and the store")
    func longValueQuotedBounded() throws {
        let bridge = try BridgeFixture()
        let receipt = "B-" + String(repeating: "x", count: 5_000)
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: receipt).line, KioskCSV.D(id: "K42-2", receipt: "B-2").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 1)
        let long = String(repeating: "x", count: 81)
        let problems = ((result.json["files"] as? [[String: Any]])?.first?["record_problems"] as? [String]) ?? []
        #expect(problems.first?.contains("found 'B-" + String(repeating: "x", count: 78) + "…' (5,002 characters)") == true)
        #expect(!result.stdout.contains(long))
        #expect(!result.stderr.contains(long))
        let notes = bridge.allFiles(under: bridge.archive).filter { $0.hasSuffix(".rejected-records.txt") }
        #expect(notes.count == 1)
        #expect(!bridge.text(bridge.archive.appendingPathComponent(notes.first ?? "")).contains(long))
        // The store keeps the refused record with bounded text: the desk finds it by its transaction id.
        let match = bridge.receipt("K42-1").first
        #expect(match?["status"] as? String == "rejected")
        #expect(((match?["receipt"] as? String)?.count ?? .max) <= 81)
        #expect((match?["reason"] as? String)?.contains("(5,002 characters)") == true)
    }

    @Test("A file refusing more than 1,000 records lists the first 1,000 and says how many more; every one is stored")
    func manyRefusedRecords() throws {
        let bridge = try BridgeFixture()
        let records = (1...1_250).map { KioskCSV.D(id: "K42-\($0)", payer: "bad", receipt: "B-\($0)").line }
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: records))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 1_250)
        let file = (result.json["files"] as? [[String: Any]])?.first
        #expect((file?["record_problems"] as? [String])?.count == 1_000)
        #expect(file?["record_problems_not_listed"] as? Int == 250)
        let notes = bridge.allFiles(under: bridge.archive).first { $0.hasSuffix(".rejected-records.txt") } ?? ""
        #expect(bridge.text(bridge.archive.appendingPathComponent(notes)).contains("- and 250 more refused record(s), not listed here"))
        #expect(bridge.receipt("B-1250").first?["status"] as? String == "rejected")
    }
}
