import Foundation
import StoreTestSupport
import Testing

/// debtor-export.md "Profile camt054", "Profile fixed" and several profiles at once,
/// through the executable.
@Suite("Export profiles end to end", .serialized)
struct ExportProfilesEndToEndTests {
    static let camtAndFixed = """

        [[export]]
        profile = "camt054"
        prefix = "camt"
        outbox = "outbox-camt"
        version = "camt.054.001.08"

        [[export]]
        profile = "fixed"
        prefix = "fast"
        outbox = "outbox-fixed"
        line_ending = "LF"
        encoding = "UTF-8"

        [[export.line]]
        source = "kind"
        width = 9
        [[export.line]]
        source = "transaction_id"
        width = 20
        [[export.line]]
        source = "amount"
        width = 12

        [[export.trailer]]
        source = "count"
        width = 6
        [[export.trailer]]
        source = "sum"
        width = 12

        """

    /// A bridge with three profiles side by side: csv (outbox/), camt054 and fixed.
    static func threeProfiles(backend: TestBackend = BridgeFixture.defaultBackend,
                              _ extra: ((inout String) -> Void)? = nil) throws -> BridgeFixture {
        let bridge = try BridgeFixture(backend: backend) { config in
            config += camtAndFixed
            extra?(&config)
        }
        for folder in ["outbox-camt", "outbox-fixed"] {
            try FileManager.default.createDirectory(at: bridge.root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        return bridge
    }

    /// Transaction id → amount in øre, per line, of every file a profile delivered.
    static func delivered(_ bridge: BridgeFixture, profile: String) -> [(id: String, ore: Int)] {
        switch profile {
        case "csv":
            return bridge.files(in: bridge.outbox).flatMap { name in
                bridge.outboxFile(name).split(separator: "\n").compactMap { line -> (String, Int)? in
                    let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                    return fields[0] == "L" ? (fields[3], KioskCSV.ore(fields[10])) : nil
                }
            }
        case "camt054":
            let folder = bridge.root.appendingPathComponent("outbox-camt")
            return bridge.files(in: folder).flatMap { name -> [(String, Int)] in
                let text = bridge.text(folder.appendingPathComponent(name))
                return text.components(separatedBy: "<TxDtls>").dropFirst().map { part in
                    let id = part.components(separatedBy: "<EndToEndId>")[1].components(separatedBy: "</EndToEndId>")[0]
                    let amount = part.components(separatedBy: "<Amt Ccy=\"DKK\">")[1].components(separatedBy: "</Amt>")[0]
                    let sign = part.contains("<CdtDbtInd>DBIT</CdtDbtInd>") ? -1 : 1
                    return (id, sign * KioskCSV.ore(amount.replacingOccurrences(of: ".", with: ",")))
                }
            }
        default:
            let folder = bridge.root.appendingPathComponent("outbox-fixed")
            return bridge.files(in: folder).flatMap { name in
                bridge.text(folder.appendingPathComponent(name)).split(separator: "\n").compactMap { line -> (String, Int)? in
                    guard line.count == 41 else { return nil }
                    let id = line.dropFirst(9).prefix(20).trimmingCharacters(in: .whitespaces)
                    let amount = String(line.suffix(12))
                    let ore = amount.hasPrefix("-") ? -(Int(amount.dropFirst()) ?? 0) : (Int(amount) ?? 0)
                    return (id, ore)
                }
            }
        }
    }

    static func sequences(_ bridge: BridgeFixture, folder: String) -> [Int] {
        bridge.files(in: bridge.root.appendingPathComponent(folder)).compactMap { name in
            name.split(separator: "_").last.flatMap { Int($0.prefix(6)) }
        }
    }

    static let firstFile = KioskCSV.file(sequence: 1, records: [
        KioskCSV.D(id: "K42-1", receipt: "B-1").line,
        KioskCSV.D(id: "K42-2", payer: "29000018", type: "ERSTATNING", amount: "99,95", receipt: "B-2").line,
    ])

    @Test("Several profiles at once: camt054, csv and fixed each carry every payment exactly once, in their own sequence series")
    func severalProfiles() throws {
        let bridge = try Self.threeProfiles()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", Self.firstFile)
        let first = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(Set(first.json["export_files"] as? [String] ?? [])
            == ["kioskpay_20261121_000001.csv", "camt_20261121_000001.xml", "fast_20261121_000001.txt"])
        #expect(first.json["payments_exported"] as? Int == 2)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:35:00+01:00", records: [
            KioskCSV.V(id: "K42-3", voidedAt: "2026-11-21T14:30:00+01:00", voids: "K42-1").line,
            KioskCSV.D(id: "K42-4", paidAt: "2026-11-21T14:31:00+01:00", amount: "7,25", receipt: "B-4").line,
        ]))
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(bridge.cycle(at: "2026-11-21T15:00:00+01:00").json["export_files"] as? [String] == [])

        for (profile, folder) in [("csv", "outbox"), ("camt054", "outbox-camt"), ("fixed", "outbox-fixed")] {
            let lines = Self.delivered(bridge, profile: profile)
            #expect(lines.filter { $0.id == "K42-1" }.map(\.ore).sorted() == [-2000, -2000, 2000, 2000], "\(profile)")
            #expect(lines.filter { $0.id == "K42-2" }.map(\.ore) == [9995], "\(profile)")
            #expect(lines.filter { $0.id == "K42-4" }.map(\.ore).reduce(0, +) == 725, "\(profile)")
            #expect(lines.map(\.ore).reduce(0, +) == 9995 + 725, "\(profile)")
            #expect(Self.sequences(bridge, folder: folder) == [1, 2], "\(profile)")
        }
        let camt = bridge.text(bridge.root.appendingPathComponent("outbox-camt/camt_20261121_000001.xml"))
        #expect(camt.contains("urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"))
        #expect(camt.contains("<OrgId>"))
        #expect(bridge.allFiles(under: bridge.archive).filter { $0.hasPrefix("exports/") && !$0.hasSuffix(".trail-head") }.count == 6)
    }

    @Test("camt054: every delivered document validates against the official schema (xmllint --schema agrees)",
          .enabled(if: ExportProfilesEndToEndTests.officialSchemas != nil && ExportProfilesEndToEndTests.xmllint != nil,
                   "needs xmllint and the official ISO 20022 schemas"))
    func xmllintAgrees() throws {
        let folder = try #require(Self.officialSchemas)
        let bridge = try Self.threeProfiles { config in config = config.replacingOccurrences(of: "version = \"camt.054.001.08\"\n", with: "") }
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", Self.firstFile)
        #expect(bridge.cycle().status == 0)
        let document = bridge.root.appendingPathComponent("outbox-camt/camt_20261121_000001.xml").path
        let check = Process()
        check.executableURL = URL(fileURLWithPath: try #require(Self.xmllint))
        check.arguments = ["--noout", "--schema", folder + "/camt.054.001.02.xsd", document]
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }

    static var officialSchemas: String? {
        var candidates = [URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/schemas").standardizedFileURL.path]
        if let folder = ProcessInfo.processInfo.environment["KIOSKBRIDGE_ISO20022_SCHEMAS"] { candidates.insert(folder, at: 0) }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/camt.054.001.02.xsd") }
    }

    static var xmllint: String? {
        ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("A profile that fails does not hold up the others; its file goes out next cycle, counted in the cycle that delivered it")
    func failingProfileIsRetried() throws {
        let bridge = try Self.threeProfiles()
        try FileManager.default.removeItem(at: bridge.root.appendingPathComponent("outbox-camt"))
        try bridge.drop("a.csv", Self.firstFile)
        let first = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        #expect(first.status == 74)
        #expect(Set(first.json["export_files"] as? [String] ?? []) == ["kioskpay_20261121_000001.csv", "fast_20261121_000001.txt"])
        #expect((first.json["errors"] as? [String] ?? []).contains { $0.contains("export camt") && $0.contains("outbox-camt") })
        #expect(!FileManager.default.fileExists(atPath: bridge.root.appendingPathComponent("outbox-camt").path), "never recreated behind the operator's back")

        try FileManager.default.createDirectory(at: bridge.root.appendingPathComponent("outbox-camt"), withIntermediateDirectories: true)
        let second = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(second.status == 0)
        #expect(second.json["export_files"] as? [String] == ["camt_20261121_000001.xml"])
        #expect(second.json["payments_exported"] as? Int == 2)
        #expect(Self.delivered(bridge, profile: "camt054").map(\.id).sorted() == ["K42-1", "K42-2"])
        #expect(Self.delivered(bridge, profile: "csv").count == 2)
    }

    @Test("A file delivered a cycle late: the receipt says when it really went out, and expected_in_fbs follows from that")
    func lateDeliveryIsDatedWhenDelivered() throws {
        let bridge = try BridgeFixture()
        try FileManager.default.removeItem(at: bridge.outbox)
        try Data("not a folder".utf8).write(to: bridge.outbox)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let failed = bridge.cycle(at: "2026-11-23T20:40:00+01:00")
        #expect(failed.status == 74)
        #expect(failed.json["payments_exported"] as? Int == 0)
        try FileManager.default.removeItem(at: bridge.outbox)
        try FileManager.default.createDirectory(at: bridge.outbox, withIntermediateDirectories: true)
        let delivered = bridge.cycle(at: "2026-11-23T21:20:00+01:00")
        #expect(delivered.json["payments_exported"] as? Int == 1)
        let match = try #require(bridge.receipt("B-1", at: "2026-11-23T21:30:00+01:00").first)
        let export = match["export"] as? [String: Any]
        #expect(export?["at"] as? String == "2026-11-23T21:20:00+01:00")
        // Monday 21:20 is after that evening's 21:00 run: FBS shows it on Tuesday evening.
        #expect(match["expected_in_fbs"] as? String == "2026-11-24T21:00:00+01:00")
    }

    @Test("Two profiles from the start both carry the first cycle's payments")
    func everyProfileGetsTheFirstCycle() throws {
        let bridge = try BridgeFixture { config in
            config += "\n[[export]]\nprofile = \"csv\"\nprefix = \"finance\"\noutbox = \"finance\"\n"
        }
        try FileManager.default.createDirectory(at: bridge.root.appendingPathComponent("finance"), withIntermediateDirectories: true)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let result = bridge.cycle()
        #expect(Set(result.json["export_files"] as? [String] ?? []) == ["kioskpay_20261121_000001.csv", "finance_20261121_000001.csv"])
        #expect(bridge.text(bridge.root.appendingPathComponent("finance/finance_20261121_000001.csv")).contains(";K42-1;"))
    }

    @Test("camt054: a document that does not validate is never delivered; its sequence number is free and its payments wait")
    func invalidDocumentIsNotDelivered() throws {
        let strict = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString).xsd")
        // A schema no camt.054 document can satisfy: its only element is another one.
        try """
            <?xml version="1.0"?>
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"
                       elementFormDefault="qualified"><xs:element name="Other" type="xs:string"/></xs:schema>
            """.write(to: strict, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: strict) }
        let bridge = try Self.threeProfiles { config in
            config = config.replacingOccurrences(of: "version = \"camt.054.001.08\"\n", with: "version = \"camt.054.001.08\"\nschema = \"\(strict.path)\"\n")
        }
        try bridge.drop("a.csv", Self.firstFile)
        let refused = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        #expect(refused.status == 74)
        let error = (refused.json["errors"] as? [String] ?? []).first { $0.contains("camt_20261121_000001.xml") } ?? ""
        #expect(error.contains("was not delivered"))
        #expect(error.contains("Document"), "the error names the element: \(error)")
        #expect(bridge.files(in: bridge.root.appendingPathComponent("outbox-camt")).isEmpty)
        #expect(Self.delivered(bridge, profile: "csv").count == 2)

        // The operator fixes the configuration: the same sequence number goes out with the payments.
        var text = try String(contentsOfFile: bridge.config, encoding: .utf8)
        text = text.replacingOccurrences(of: "schema = \"\(strict.path)\"\n", with: "")
        try text.write(toFile: bridge.config, atomically: true, encoding: .utf8)
        let fixed = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.json["export_files"] as? [String] == ["camt_20261121_000001.xml"])
        #expect(Self.delivered(bridge, profile: "camt054").map(\.id).sorted() == ["K42-1", "K42-2"])
    }

    @Test("camt054 configured: a transaction id longer than the 35 characters camt.054 can carry is refused when it arrives")
    func longTransactionIDIsRefusedAtIntake() throws {
        let bridge = try Self.threeProfiles()
        let long = "K42-" + String(repeating: "9", count: 32)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: long, receipt: "B-1").line, KioskCSV.D(id: "K42-2", receipt: "B-2").line,
        ]))
        let result = bridge.cycle()
        #expect(result.status == 0)
        #expect(result.json["records_rejected"] as? Int == 1)
        let reason = bridge.receipt("B-1").first?["reason"] as? String ?? ""
        #expect(reason.contains("at most 20 characters") || reason.contains("at most 35 characters"), "\(reason)")
        #expect(Self.delivered(bridge, profile: "camt054").map(\.id) == ["K42-2"])
    }

    @Test("A crash between two profiles' files, then a void of one of their payments: no profile gets the payment and its reversal in one file")
    func voidAfterCrashBetweenProfiles() throws {
        let bridge = try Self.threeProfiles()
        try bridge.drop("a.csv", Self.firstFile)
        // csv is written, camt054 and fixed are not.
        #expect(bridge.cycle(at: "2026-11-21T14:20:00+01:00", environment: ["KIOSKBRIDGE_CRASH_AT": "after-publish:1"]).status == 137)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:35:00+01:00", records: [
            KioskCSV.V(id: "K42-3", voidedAt: "2026-11-21T14:30:00+01:00", voids: "K42-1").line,
        ]))
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(bridge.cycle(at: "2026-11-21T15:00:00+01:00").status == 0)
        let camt = bridge.root.appendingPathComponent("outbox-camt")
        let first = bridge.text(camt.appendingPathComponent("camt_20261121_000001.xml"))
        let second = bridge.text(camt.appendingPathComponent("camt_20261121_000002.xml"))
        #expect(first.contains("<EndToEndId>K42-1</EndToEndId>") && !first.contains("DBIT"), "the payment goes out as the csv file had it")
        #expect(second.contains("<RvslInd>true</RvslInd>") && second.contains("<EndToEndId>K42-1</EndToEndId>"), "its reversal follows")
        for (profile, folder) in [("csv", "outbox"), ("camt054", "outbox-camt"), ("fixed", "outbox-fixed")] {
            #expect(Self.sequences(bridge, folder: folder) == [1, 2], "\(profile)")
            #expect(Self.delivered(bridge, profile: profile).filter { $0.id == "K42-1" }.map(\.ore).sorted() == [-4000, 4000], "\(profile)")
        }
    }

    @Test("Killing the process during a multi-profile cycle and running it again gives each profile's payments exactly once",
          arguments: ["after-prepare:2", "after-temporary-file:2", "after-outbox-rename:3", "after-archive-rename:2", "after-publish:3",
                      "after-prepare:3", "after-temporary-file:1"])
    func crashDuringMultiProfileCycle(point: String) throws {
        let bridge = try Self.threeProfiles()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", Self.firstFile)
        #expect(bridge.cycle(at: "2026-11-21T14:20:00+01:00", environment: ["KIOSKBRIDGE_CRASH_AT": point]).status == 137)
        #expect(bridge.cycle(at: "2026-11-21T14:20:00+01:00").status == 0)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:35:00+01:00", records: [
            KioskCSV.V(id: "K42-3", voidedAt: "2026-11-21T14:30:00+01:00", voids: "K42-2", amount: "99,95").line,
        ]))
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00", environment: ["KIOSKBRIDGE_CRASH_AT": point]).status == 137)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        for (profile, folder) in [("csv", "outbox"), ("camt054", "outbox-camt"), ("fixed", "outbox-fixed")] {
            let lines = Self.delivered(bridge, profile: profile)
            #expect(lines.filter { $0.id == "K42-1" }.map(\.ore).sorted() == [2000, 2000], "\(profile) after \(point)")
            #expect(lines.filter { $0.id == "K42-2" }.map(\.ore).sorted() == [-9995, 9995], "\(profile) after \(point)")
            #expect(Self.sequences(bridge, folder: folder) == [1, 2], "\(profile) after \(point)")
            #expect(bridge.files(in: bridge.root.appendingPathComponent(folder)).allSatisfy { !$0.hasPrefix(".") })
        }
    }
}
