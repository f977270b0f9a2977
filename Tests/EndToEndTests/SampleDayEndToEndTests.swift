import Foundation
import StoreTestSupport
import Testing

/// The sample day (`SampleFiles/`) through the bridge with three profiles: the example
/// export files that `docs/export-profiles.md` shows are exactly what it writes, on either
/// store, and both stores answer every receipt of the day alike. Run the tests with
/// `KIOSKBRIDGE_WRITE_SAMPLES=1` to write the examples again after a deliberate change of
/// layout.
@Suite("SampleFiles: the sample day on both stores", .serialized)
struct SampleDayEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let samples = repository.appendingPathComponent("SampleFiles")
    static let written = [("outbox", "kioskpay_20261121_000001.csv"), ("outbox-camt", "kioskcamt_20261121_000001.xml"),
                          ("outbox-fixed", "kioskfast_20261121_000001.txt")]

    /// A bridge with the csv, camt054 and fixed profiles that has imported the sample
    /// claims and run one cycle over the sample inbox.
    static func sampleDay(on backend: TestBackend) throws -> BridgeFixture {
        let layout = repository.appendingPathComponent("deploy/profiles/fixed-width-bs-style.toml").path
        let bridge = try BridgeFixture(backend: backend) { config in
            config += """

                [[export]]
                profile = "camt054"
                prefix = "kioskcamt"
                outbox = "outbox-camt"
                account = "DK-BIBLIOTEK-KIOSK"

                [[export]]
                profile = "fixed"
                prefix = "kioskfast"
                outbox = "outbox-fixed"
                layout = "\(layout)"

                """
        }
        for folder in ["outbox-camt", "outbox-fixed"] {
            try FileManager.default.createDirectory(at: bridge.root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        let claims = bridge.run(["claims", "import", samples.appendingPathComponent("claims/claims-debtor-20261121.csv").path],
                                now: "2026-11-21T12:20:00+01:00")
        #expect(claims.status == 0, "\(claims.stderr)")
        for name in bridge.files(in: samples.appendingPathComponent("inbox")) {
            try FileManager.default.copyItem(at: samples.appendingPathComponent("inbox/\(name)"), to: bridge.inbox.appendingPathComponent(name))
        }
        let cycle = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        #expect(cycle.status == 0, "\(cycle.stderr)")
        return bridge
    }

    /// Every receipt number the sample inbox holds, as the desk would type them.
    static func sampleReceipts() throws -> [String] {
        let folder = samples.appendingPathComponent("inbox")
        let text = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { name in
            String(decoding: try Data(contentsOf: folder.appendingPathComponent(name)), as: UTF8.self)
        }.joined(separator: "\n")
        let pattern = try NSRegularExpression(pattern: #"(?:;|receipt=")(B-[0-9A-Za-z-]+)"#)
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        return Array(Set(matches.compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })).sorted()
    }

    @Test("The documented example export files are what the bridge writes for the sample day, byte for byte, on either store",
          arguments: TestBackend.allCases)
    func documentedExamples(backend: TestBackend) throws {
        let bridge = try Self.sampleDay(on: backend)
        let examples = Self.samples.appendingPathComponent("exports")
        for (folder, name) in Self.written {
            let produced = try Data(contentsOf: bridge.root.appendingPathComponent("\(folder)/\(name)"))
            if ProcessInfo.processInfo.environment["KIOSKBRIDGE_WRITE_SAMPLES"] == "1", backend == .sqlite {
                try FileManager.default.createDirectory(at: examples, withIntermediateDirectories: true)
                try produced.write(to: examples.appendingPathComponent(name))
            }
            let documented = try Data(contentsOf: examples.appendingPathComponent(name))
            #expect(produced == documented, "\(name) differs from SampleFiles/exports/\(name)")
        }
    }

    /// A lookup's answer without the time the lookup took (`lookup_us`), which no two runs
    /// share, and with the trail's events and times but not their causes (which name each
    /// bridge's own folders).
    static func answer(_ run: BridgeFixture.Result) throws -> Data {
        var answer = run.json
        answer.removeValue(forKey: "lookup_us")
        if let matches = answer["matches"] as? [[String: Any]] {
            answer["matches"] = matches.map { match in
                var match = match
                match["trail"] = (match["trail"] as? [[String: Any]])?.map { ["at": $0["at"] ?? "", "event": $0["event"] ?? ""] }
                return match
            }
        }
        return try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])
    }

    @Test("Both stores answer every receipt of the sample day, and its report, alike (receipt --json, report --json)")
    func sameReceipts() throws {
        let sqlite = try Self.sampleDay(on: .sqlite)
        let postgres = try Self.sampleDay(on: .postgres)
        let receipts = try Self.sampleReceipts()
        #expect(receipts.count >= 10, "found only \(receipts.count) receipts in the sample inbox")
        for receipt in receipts {
            let onSQLite = sqlite.run(["receipt", receipt], now: "2026-11-21T15:00:00+01:00")
            let onPostgres = postgres.run(["receipt", receipt], now: "2026-11-21T15:00:00+01:00")
            #expect(onSQLite.status == 0)
            #expect(!(onSQLite.json["matches"] as? [Any] ?? []).isEmpty, "\(receipt) is not found")
            #expect(try Self.answer(onSQLite) == Self.answer(onPostgres), "\(receipt): the stores answer differently")
        }
        let report = ["report", "--date", "2026-11-21"]
        let reportOnSQLite = sqlite.run(report, now: "2026-11-21T15:00:00+01:00")
        #expect(reportOnSQLite.status == 0)
        #expect(reportOnSQLite.stdout == postgres.run(report, now: "2026-11-21T15:00:00+01:00").stdout, "the reports differ")
    }
}
