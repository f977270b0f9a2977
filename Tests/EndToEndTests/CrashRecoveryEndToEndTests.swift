import Foundation
import Testing

/// debtor-export.md "Delivery rules" and kiosk-file.md "Taking a file in": a crash at any
/// moment, followed by a restart, neither loses nor repeats a payment.
@Suite("Crash at any point and run again", .serialized)
struct CrashRecoveryEndToEndTests {
    static let points = [
        "after-claim", "mid-booking", "after-booking", "after-move", "after-allocation", "after-prepare",
        "after-temporary-file", "after-outbox-rename", "after-archive-rename", "after-publish",
    ]

    /// Every L line of every export file, with the file's sequence.
    static func exportLines(_ bridge: BridgeFixture) -> (lines: [[String]], sequences: [Int], sum: Int) {
        var lines: [[String]] = []
        var sequences: [Int] = []
        var sum = 0
        for name in bridge.files(in: bridge.outbox) where name.hasSuffix(".csv") {
            for line in bridge.outboxFile(name).split(separator: "\n") {
                let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                if fields[0] == "H" { sequences.append(Int(fields[3]) ?? -1) }
                if fields[0] == "L" {
                    lines.append(fields)
                    sum += KioskCSV.ore(fields[10])
                }
            }
        }
        return (lines, sequences.sorted(), sum)
    }

    @Test("A crash at each point of intake, allocation and export, then a rerun: every payment exported exactly once",
          arguments: points)
    func crashAndRerun(point: String) throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("KIOSK-0042_1.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", payer: "1505851237", amount: "12,50", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", payer: "29000018", type: "ERSTATNING", amount: "99,95", receipt: "B-3").line,
        ]))
        try bridge.drop("KIOSK-0017_1.csv", KioskCSV.file(kiosk: "KIOSK-0017", sequence: 1, records: [
            KioskCSV.D(id: "K17-1", payer: "0311781118", amount: "25,00", receipt: "B-17").line,
            KioskCSV.D(id: "K17-2", payer: "0101901234", amount: "5,00", receipt: "B-18").line,
        ]))

        let crashed = bridge.cycle(at: "2026-11-21T14:20:00+01:00", environment: ["KIOSKBRIDGE_CRASH_AT": point])
        #expect(crashed.status == 137, "the process should have died at \(point)")
        let rerun = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        #expect(rerun.status == 0, "\(rerun.stderr)")

        try bridge.drop("KIOSK-0042_2.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:35:00+01:00", records: [
            KioskCSV.V(id: "K42-4", voidedAt: "2026-11-21T14:30:00+01:00", voids: "K42-2", amount: "12,50").line,
            KioskCSV.D(id: "K42-5", paidAt: "2026-11-21T14:31:00+01:00", amount: "7,25", receipt: "B-5").line,
        ]))
        let secondCrash = bridge.cycle(at: "2026-11-21T14:40:00+01:00", environment: ["KIOSKBRIDGE_CRASH_AT": point])
        #expect(secondCrash.status == 137)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(bridge.cycle(at: "2026-11-21T15:00:00+01:00").status == 0)

        let exported = Self.exportLines(bridge)
        let paymentIDs = exported.lines.filter { $0[2] != "REVERSAL" }.map { $0[3] }
        let reversalIDs = exported.lines.filter { $0[2] == "REVERSAL" }.map { $0[3] }
        #expect(Set(paymentIDs) == ["K42-1", "K42-2", "K42-3", "K17-1", "K17-2", "K42-5"])
        // K17-2 and K42-1 were paid at the same second: kiosk id decides, K17-2 takes 5,00 of
        // F-1001 first, so K42-1 pays the rest of F-1001, F-1002 and a surplus (3 lines).
        #expect(paymentIDs.count == 8)
        #expect(paymentIDs.filter { $0 == "K42-1" }.count == 3)
        #expect(reversalIDs == ["K42-2"])
        #expect(exported.sum == 4000 + 1250 + 9995 + 2500 + 500 + 725 - 1250)
        #expect(exported.sequences == Array(1..<(exported.sequences.count + 1)))
        #expect(bridge.files(in: bridge.processing).isEmpty)
        #expect(bridge.files(in: bridge.outbox).allSatisfy { !$0.hasPrefix(".") })
        #expect(bridge.files(in: bridge.inbox).isEmpty)
        // Every archived export keeps its trail anchor, and the trail verifies against them.
        let archived = bridge.allFiles(under: bridge.archive).filter { $0.hasPrefix("exports/") }
        for file in archived where file.hasSuffix(".csv") {
            #expect(archived.contains(file + ".trail-head"), "\(file) lost its anchor after a crash at \(point)")
        }
        #expect(bridge.run(["audit", "verify"], json: false).status == 0)
    }

    @Test("A batch committed but not delivered is delivered again with the same bytes, never a second batch")
    func sameBytesAfterCrash() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle(environment: ["KIOSKBRIDGE_CRASH_AT": "after-outbox-rename"]).status == 137)
        let first = bridge.outboxFile("kioskpay_20261121_000001.csv")
        // The debtor takes the file before the bridge comes back.
        try FileManager.default.removeItem(at: bridge.outbox.appendingPathComponent("kioskpay_20261121_000001.csv"))
        let rerun = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(rerun.json["export_files"] as? [String] == ["kioskpay_20261121_000001.csv"])
        #expect(bridge.outboxFile("kioskpay_20261121_000001.csv") == first)
        #expect(bridge.files(in: bridge.outbox) == ["kioskpay_20261121_000001.csv"])
    }
}
