import Foundation
import Testing

/// debtor-export.md and allocation.md, through the executable.
@Suite("debtor-export.md and allocation.md end to end", .serialized)
struct CycleEndToEndTests {
    @Test("csv profile: the spec's example day gives the exact export file, oldest claims first")
    func exactExportFile() throws {
        let bridge = try BridgeFixture()
        #expect(try bridge.importClaims(sampleClaims).status == 0)
        try bridge.drop("KIOSK-0042_20261121141500_000123.csv", KioskCSV.file(sequence: 123, records: [
            KioskCSV.D(id: "K42-20261121-0001", receipt: "B-000981").line,
            KioskCSV.D(id: "K42-20261121-0002", paidAt: "2026-11-21T14:09:40+01:00", payer: "1505851237", type: "ERSTATNING",
                       amount: "249,95", tender: "CARD", receipt: "B-000982", operatorID: "medarb17").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["export_files"] as? [String] == ["kioskpay_20261121_000001.csv"])
        #expect(result.json["surplus_payments"] as? Int == 1)
        #expect(bridge.outboxFile("kioskpay_20261121_000001.csv") == """
            H;1;kioskpay_20261121_000001;1;2026-11-21T14:20:00+01:00
            L;1;PAYMENT;K42-20261121-0001;KIOSK-0042;B-000981;2026-11-21T14:02:11+01:00;0101901234;BIBGEBYR;F-1001;20,00
            L;2;PAYMENT;K42-20261121-0001;KIOSK-0042;B-000981;2026-11-21T14:02:11+01:00;0101901234;BIBGEBYR;F-1002;20,00
            L;3;SURPLUS;K42-20261121-0002;KIOSK-0042;B-000982;2026-11-21T14:09:40+01:00;1505851237;BIBERSTAT;;249,95
            T;3;289,95

            """)
    }

    @Test("Exactly once: each payment in exactly one file; sequence numbers increase by one with no gaps; no file when nothing")
    func sequencesAndExactlyOnce() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle(at: "2026-11-21T14:20:00+01:00").json["export_files"] as? [String] == ["kioskpay_20261121_000001.csv"])
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").json["export_files"] as? [String] == [])
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.D(id: "K42-2", receipt: "B-2").line]))
        #expect(bridge.cycle(at: "2026-11-22T09:00:00+01:00").json["export_files"] as? [String] == ["kioskpay_20261122_000002.csv"])
        let all = bridge.files(in: bridge.outbox).map { bridge.outboxFile($0) }.joined()
        #expect(all.components(separatedBy: "K42-1;").count == 2)
        #expect(all.components(separatedBy: "K42-2;").count == 2)
        #expect(bridge.allFiles(under: bridge.archive).filter { $0.hasPrefix("exports/") && $0.hasSuffix(".csv") }.count == 2)
    }

    @Test("empty_files = true writes a file even when a cycle has nothing; done_marker writes <name>.done after it")
    func emptyFilesAndDoneMarker() throws {
        let bridge = try BridgeFixture { config in
            config = config.replacingOccurrences(of: "# done_marker = false", with: "done_marker = true")
                .replacingOccurrences(of: "# empty_files = false", with: "empty_files = true")
        }
        let result = bridge.cycle()
        #expect(result.status == 0)
        #expect(bridge.files(in: bridge.outbox) == ["kioskpay_20261121_000001.csv", "kioskpay_20261121_000001.csv.done"])
        #expect(bridge.outboxFile("kioskpay_20261121_000001.csv").hasSuffix("T;0;0,00\n"))
    }

    @Test("The archive holds a copy of every export file, byte for byte")
    func archiveCopy() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        let archived = bridge.text(bridge.archive.appendingPathComponent("exports/2026-11-21/kioskpay_20261121_000001.csv"))
        #expect(!archived.isEmpty)
        #expect(archived == bridge.outboxFile("kioskpay_20261121_000001.csv"))
    }

    @Test("Voids: a void of a payment not yet exported means neither goes to the debtor")
    func voidBeforeExport() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.V(id: "K42-2", voids: "K42-1").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["payments_exported"] as? Int == 0)
        #expect(bridge.files(in: bridge.outbox).isEmpty)
        let match = bridge.receipt("B-1").first
        #expect(match?["status"] as? String == "voided")
        #expect((match?["allocations"] as? [Any])?.isEmpty == true)
    }

    @Test("Voids: a void of an exported payment adds a reversal with the same parts, negated, to the next export, before payments")
    func reversalAfterExport() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", amount: "30,00", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:30:00+01:00", records: [
            KioskCSV.V(id: "K42-2", voidedAt: "2026-11-21T14:25:00+01:00", voids: "K42-1", amount: "30,00").line,
            KioskCSV.D(id: "K42-3", paidAt: "2026-11-21T14:26:00+01:00", amount: "20,00", receipt: "B-3").line,
        ]))
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["reversals_exported"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 1)
        // The reversal gives F-1001 (20,00) and F-1002 (10,00) back; the new payment takes F-1001 again.
        #expect(bridge.outboxFile("kioskpay_20261121_000002.csv") == """
            H;1;kioskpay_20261121_000002;2;2026-11-21T14:40:00+01:00
            L;1;REVERSAL;K42-1;KIOSK-0042;B-1;2026-11-21T14:02:11+01:00;0101901234;BIBGEBYR;F-1001;-20,00
            L;2;REVERSAL;K42-1;KIOSK-0042;B-1;2026-11-21T14:02:11+01:00;0101901234;BIBGEBYR;F-1002;-10,00
            L;3;PAYMENT;K42-3;KIOSK-0042;B-3;2026-11-21T14:26:00+01:00;0101901234;BIBGEBYR;F-1001;20,00
            T;3;-10,00

            """)
        #expect(bridge.receipt("B-1").first?["status"] as? String == "voided")
    }

    @Test("Effective outstanding: a later cycle does not take øre an earlier unreflected payment already took")
    func effectiveOutstandingAcrossCycles() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", amount: "20,00", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.D(id: "K42-2", amount: "20,00", receipt: "B-2").line]))
        _ = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        let second = bridge.receipt("B-2").first?["allocations"] as? [[String: Any]]
        #expect(second?.first?["claim_id"] as? String == "F-1002")
    }

    @Test("Effective outstanding: a P record in a new snapshot means the payment is reflected and not counted twice")
    func pRecordsReflect() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", amount: "20,00", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        // The debtor applied K42-1 to F-1001 and says so; F-1001 is gone, F-1002 still open.
        let next = """
            H;1;DEBTOR;2026-11-22T06:00:00+01:00
            C;F-1002;0101901234;BIBLIOTEKSGEBYR;2026-10-03;2026-10-17;20,00;20,00;DEBTOR
            P;KIOSK-0042;K42-1
            T;1;20,00

            """
        #expect(try bridge.importClaims(next, name: "next.csv", at: "2026-11-22T06:30:00+01:00").status == 0)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-22T10:05:00+01:00", records: [
            KioskCSV.D(id: "K42-2", paidAt: "2026-11-22T10:00:00+01:00", amount: "20,00", receipt: "B-2").line,
        ]))
        _ = bridge.cycle(at: "2026-11-22T10:20:00+01:00")
        let parts = bridge.receipt("B-2").first?["allocations"] as? [[String: Any]]
        #expect(parts?.count == 1)
        #expect(parts?.first?["claim_id"] as? String == "F-1002")
        #expect(parts?.first?["amount_ore"] as? Int == 2000)
    }

    @Test("Effective outstanding: without P records, payments exported after the snapshot's as-of time still count")
    func asOfRule() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims.replacingOccurrences(of: "P;KIOSK-0042;K42-20261120-0017\n", with: ""))
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", amount: "20,00", receipt: "B-1").line]))
        _ = bridge.cycle(at: "2026-11-21T14:20:00+01:00")
        // Same claims again, as of before the export: the 20,00 paid at 14:20 is not reflected.
        let same = sampleClaims.replacingOccurrences(of: "P;KIOSK-0042;K42-20261120-0017\n", with: "")
            .replacingOccurrences(of: "2026-11-21T06:00:00+01:00", with: "2026-11-21T12:00:00+01:00")
        #expect(try bridge.importClaims(same, name: "same.csv", at: "2026-11-21T14:30:00+01:00").status == 0)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.D(id: "K42-2", amount: "20,00", receipt: "B-2").line]))
        _ = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        let parts = bridge.receipt("B-2").first?["allocations"] as? [[String: Any]]
        #expect(parts?.first?["claim_id"] as? String == "F-1002")
    }

    @Test("fbs_claims = worklist: the part on an FBS claim goes to an FBS worklist file in its own folder and series")
    func worklist() throws {
        let bridge = try BridgeFixture { $0 = $0.replacingOccurrences(of: "fbs_claims = \"skip\"", with: "fbs_claims = \"worklist\"") }
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", type: "ERSTATNING", amount: "200,00", receipt: "B-1").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["worklist_files"] as? [String] == ["fbs-worklist_20261121_000001.csv"])
        let worklist = bridge.text(bridge.worklist.appendingPathComponent("fbs-worklist_20261121_000001.csv"))
        #expect(worklist.contains(";PAYMENT;K42-1;KIOSK-0042;B-1;"))
        #expect(worklist.contains(";F-0999;150,00\n"))
        #expect(bridge.outboxFile("kioskpay_20261121_000001.csv").contains(";SURPLUS;K42-1;KIOSK-0042;B-1;2026-11-21T14:02:11+01:00;0101901234;BIBERSTAT;;50,00\n"))
    }

    @Test("fbs_claims = skip: FBS claims are not paid, and the receipt lookup lists them as possibly blocking")
    func skipListsFBSClaims() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", type: "ERSTATNING", amount: "150,00", receipt: "B-1").line,
        ]))
        _ = bridge.cycle()
        let match = bridge.receipt("B-1").first
        let parts = match?["allocations"] as? [[String: Any]]
        #expect(parts?.first?["kind"] as? String == "SURPLUS")
        let blocking = match?["fbs_only_claims"] as? [[String: Any]]
        #expect(blocking?.first?["claim_id"] as? String == "F-0999")
        #expect(blocking?.first?["outstanding_ore"] as? Int == 15_000)
        #expect(blocking?.first?["claim_type"] as? String == "ERSTATNING")
        #expect(blocking?.first?["created_on"] as? String == "2026-06-10")
    }

    @Test("No snapshot loaded: payments are exported as surplus and the cycle warns")
    func noSnapshotWarning() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let result = bridge.cycle()
        #expect((result.json["warnings"] as? [String])?.contains { $0.contains("no claims snapshot") } == true)
        #expect(result.json["surplus_payments"] as? Int == 1)
    }

    @Test("A stale snapshot (older than stale_after_hours) is warned about")
    func staleSnapshotWarning() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        let result = bridge.cycle(at: "2026-11-23T14:20:00+01:00")
        #expect((result.json["warnings"] as? [String])?.contains { $0.contains("stale_after_hours") } == true)
    }

    @Test("Two payments by one payer in the same cycle: paid-at order decides, and they never take the same øre")
    func twoPaymentsOneCycle() throws {
        let bridge = try BridgeFixture()
        _ = try bridge.importClaims(sampleClaims)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-2", paidAt: "2026-11-21T14:05:00+01:00", amount: "30,00", receipt: "B-2").line,
            KioskCSV.D(id: "K42-1", paidAt: "2026-11-21T14:01:00+01:00", amount: "15,00", receipt: "B-1").line,
        ]))
        _ = bridge.cycle()
        let file = bridge.outboxFile("kioskpay_20261121_000001.csv")
        #expect(file.contains("L;1;PAYMENT;K42-1;KIOSK-0042;B-1;2026-11-21T14:01:00+01:00;0101901234;BIBGEBYR;F-1001;15,00\n"))
        #expect(file.contains("L;2;PAYMENT;K42-2;KIOSK-0042;B-2;2026-11-21T14:05:00+01:00;0101901234;BIBGEBYR;F-1001;5,00\n"))
        #expect(file.contains("L;3;PAYMENT;K42-2;KIOSK-0042;B-2;2026-11-21T14:05:00+01:00;0101901234;BIBGEBYR;F-1002;20,00\n"))
        #expect(file.contains("L;4;SURPLUS;K42-2;KIOSK-0042;B-2;2026-11-21T14:05:00+01:00;0101901234;BIBGEBYR;;5,00\n"))
    }
}
