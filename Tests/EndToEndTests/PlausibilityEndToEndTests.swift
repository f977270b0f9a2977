import Foundation
import Testing

/// `[intake]`: impossible payments are refused like any other bad record, naming the rule.
@Suite("Plausibility end to end: [intake]", .serialized)
struct PlausibilityEndToEndTests {
    @Test("Paid in 2099 or in 1901 in a file created 2026, or 9.999.999.999,99 kr.: each record refused naming its rule; the trailer still counts them")
    func impossiblePayments() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", paidAt: "2099-11-21T14:02:11+01:00", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", paidAt: "1901-11-21T14:02:11+01:00", receipt: "B-3").line,
            KioskCSV.D(id: "K42-4", amount: "9999999999,99", receipt: "B-4").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(result.json["records_rejected"] as? Int == 3)
        #expect(result.json["payments_exported"] as? Int == 1)
        let problems = ((result.json["files"] as? [[String: Any]])?.first?["record_problems"] as? [String]) ?? []
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("line 3, field 3 (paid at)") && $0.contains("[intake] clock_skew_minutes = 10") })
        #expect(problems.contains { $0.hasPrefix("line 4, field 3 (paid at)") && $0.contains("[intake] max_age_days = 60") })
        #expect(problems.contains { $0.hasPrefix("line 5, field 6 (amount)") && $0.contains("[intake] max_amount = 50.000,00 kr.") })
        #expect(bridge.receipt("B-2").first?["status"] as? String == "rejected")
        #expect(!bridge.outboxFile("kioskpay_20261121_000001.csv").contains("K42-4"))
    }

    @Test("A void voided at after its file's created at plus the skew is refused; the payment stays exported")
    func implausibleVoid() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:30:00+01:00", records: [
            KioskCSV.V(id: "K42-2", voidedAt: "2026-11-21T14:40:01+01:00", voids: "K42-1").line,
        ]))
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["records_rejected"] as? Int == 1)
        #expect(result.json["reversals_exported"] as? Int == 0)
        #expect(bridge.receipt("B-1").first?["status"] as? String == "exported")
    }

    @Test("A file created after now plus the skew is rejected as a whole, naming the rule")
    func fileFromTheFuture() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, createdAt: "2099-11-21T14:15:00+01:00", records: [
            KioskCSV.D(id: "K42-1", paidAt: "2099-11-21T14:02:11+01:00", receipt: "B-1").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["files_rejected"] as? Int == 1)
        let reason = bridge.text(bridge.rejected.appendingPathComponent("K.csv.reason.txt"))
        #expect(reason.contains("line 1, field 6 (created at): found '2099-11-21T14:15:00+01:00'"))
        #expect(reason.contains("[intake] clock_skew_minutes = 10"))
    }

    @Test("A claims snapshot as of after now plus the skew is refused (exit 65); one within it is loaded")
    func snapshotFromTheFuture() throws {
        let bridge = try BridgeFixture()
        let future = try bridge.importClaims(sampleClaims, at: "2026-11-21T05:49:59+01:00")
        #expect(future.status == 65)
        #expect(future.stderr.contains("field 4 (as of): found '2026-11-21T06:00:00+01:00'"))
        #expect(future.stderr.contains("[intake] clock_skew_minutes = 10"))
        #expect(try bridge.importClaims(sampleClaims, at: "2026-11-21T05:50:00+01:00").status == 0)
    }

    @Test("[intake] settings move the limits")
    func configuredLimits() throws {
        let bridge = try BridgeFixture { text in
            text = text.replacingOccurrences(of: "clock_skew_minutes = 10", with: "clock_skew_minutes = 0")
                .replacingOccurrences(of: "max_age_days = 60", with: "max_age_days = 1")
                .replacingOccurrences(of: "max_amount = \"50000,00\"", with: "max_amount = \"100,00\"")
        }
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", paidAt: "2026-11-21T14:15:00+01:00", amount: "100,00", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", paidAt: "2026-11-21T14:15:01+01:00", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", paidAt: "2026-11-20T14:14:59+01:00", receipt: "B-3").line,
            KioskCSV.D(id: "K42-4", amount: "100,01", receipt: "B-4").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 3)
        #expect(result.json["payments_exported"] as? Int == 1)
        #expect(bridge.receipt("B-4").first?["reason"] as? String == "line 5, field 6 (amount): found '100,01', expected at most [intake] max_amount = 100,00 kr.")
    }

    @Test("A bad [intake] value is a configuration error (exit 64) naming the key", arguments: [
        "max_amount = 50000.5", "max_amount = \"50.000,00\"", "max_amount = 0", "clock_skew_minutes = -1", "max_age_days = 0", "maximum = 1",
    ])
    func badSettings(line: String) throws {
        let key = String(line.prefix { $0 != " " })
        let bridge = try BridgeFixture { text in
            // The line in place of init's own line for the key, in init's [intake] table.
            text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(key + " ") }
                .joined(separator: "\n").replacingOccurrences(of: "\n[intake]", with: "\n[intake]\n\(line)\n")
        }
        let result = bridge.run(["status"], now: "2026-11-21T14:21:00+01:00")
        #expect(result.status == 64)
        #expect(result.stderr.contains("[intake]"))
        #expect(result.stderr.contains(key))
    }
}
