import Foundation
import Testing

/// Personal data kept no longer than the law requires: `purge --before DATE`.
@Suite("purge end to end", .serialized)
struct PurgeEndToEndTests {
    func oldBridge() throws -> BridgeFixture {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, createdAt: "2019-06-03T14:15:00+02:00", records: [
            KioskCSV.D(id: "K42-1", paidAt: "2019-06-03T14:02:11+02:00", payer: "0101901234", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", paidAt: "2019-06-03T14:03:00+02:00", payer: "1505851237", amount: "12,50", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", paidAt: "2019-06-03T14:04:00+02:00", payer: "3102901234", receipt: "B-3").line,
        ]))
        _ = bridge.cycle(at: "2019-06-03T14:20:00+02:00")
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:15:00+01:00", records: [
            KioskCSV.D(id: "K42-4", payer: "2208924321", receipt: "B-4").line,
        ]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        return bridge
    }

    @Test("purge replaces the CPR numbers of payments exported before DATE with a keyed hash; totals and the trail stay valid")
    func pseudonymises() throws {
        let bridge = try oldBridge()
        let before = bridge.run(["report", "--date", "2019-06-03"], now: "2026-11-21T15:00:00+01:00").json["totals"] as? [String: Any]
        let result = bridge.run(["purge", "--before", "2021-01-01"], now: "2026-11-21T15:00:00+01:00")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.json["payments_pseudonymised"] as? Int == 2)
        #expect(result.json["rejected_records_pseudonymised"] as? Int == 1)
        let bytes = try bridge.storedBytes()
        for number in ["0101901234", "1505851237", "3102901234"] {
            #expect(bytes.range(of: Data(number.utf8)) == nil, "\(number) is still in the store")
        }
        #expect(bytes.range(of: Data("2208924321".utf8)) != nil)
        let after = bridge.run(["report", "--date", "2019-06-03"], now: "2026-11-21T15:00:00+01:00").json["totals"] as? [String: Any]
        #expect((after?["received"] as? [String: Int]) == (before?["received"] as? [String: Int]))
        #expect((after?["exported"] as? [String: Int]) == (before?["exported"] as? [String: Int]))
        #expect(bridge.run(["audit", "verify"], now: nil).status == 0)
        #expect(bridge.receipt("B-1").first?["payer"] as? String == "(pseudonymised)")
        #expect(!bridge.allFiles(under: bridge.archive).contains { $0.hasPrefix("2019-06-03/") })
        #expect(bridge.allFiles(under: bridge.archive).contains { $0.hasPrefix("2026-11-21/") })
    }

    @Test("purge refuses a date inside the retention period (five years after the end of the financial year)")
    func refusesTooRecent() throws {
        let bridge = try oldBridge()
        let result = bridge.run(["purge", "--before", "2022-01-01"], now: "2026-11-21T15:00:00+01:00")
        #expect(result.status == 64)
        #expect(result.stderr.contains("2021-01-01"))
    }

    @Test("purge --dry-run counts and changes nothing")
    func dryRun() throws {
        let bridge = try oldBridge()
        let result = bridge.run(["purge", "--before", "2021-01-01", "--dry-run"], now: "2026-11-21T15:00:00+01:00")
        #expect(result.json["payments_pseudonymised"] as? Int == 2)
        #expect(bridge.receipt("B-1").first?["payer"] as? String == "010190-****")
    }
}
