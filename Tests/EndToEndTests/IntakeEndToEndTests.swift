import Foundation
import Testing

/// kiosk-file.md, through the executable.
@Suite("kiosk-file.md end to end", .serialized)
struct IntakeEndToEndTests {
    @Test("A valid file is booked and archived by date; the inbox and processing/ are left empty")
    func acceptedFileIsArchived() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("KIOSK-0042_20261121141500_000123.csv", KioskCSV.file(sequence: 123, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.D(id: "K42-2", amount: "249,95", receipt: "B-2").line,
        ]))
        let result = bridge.cycle()
        #expect(result.status == 0)
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 2)
        #expect(bridge.files(in: bridge.inbox).isEmpty)
        #expect(bridge.files(in: bridge.processing).isEmpty)
        #expect(bridge.allFiles(under: bridge.archive).contains("2026-11-21/KIOSK-0042_20261121141500_000123.csv"))
    }

    @Test("Whole file or nothing: a trailer that does not match books nothing and moves the file to rejected/ with a reason naming line and field")
    func badTrailerRejectsWholeFile() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line], trailer: "T;1;41,00"))
        let result = bridge.cycle()
        #expect(result.json["files_rejected"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 0)
        #expect(bridge.files(in: bridge.rejected) == ["K.csv", "K.csv.reason.txt"])
        let reason = bridge.text(bridge.rejected.appendingPathComponent("K.csv.reason.txt"))
        #expect(reason.contains("line 3"))
        #expect(reason.contains("field 3"))
        #expect(reason.contains("40,00"))
        #expect(bridge.files(in: bridge.outbox).isEmpty)
    }

    @Test("Whole file or nothing: among files booked together, a bad trailer in a file of one run or of several books nothing of it, and the files beside it stay booked")
    func badTrailersAmongFilesBookedTogether() throws {
        let bridge = try BridgeFixture()
        // 2,500 records: more than one run of reading (2,000), so the trailer is found after
        // the first run was written.
        let many = (1...2_500).map { KioskCSV.D(id: "K42-L\($0)", receipt: "B-L\($0)").line }
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: many, trailer: "T;2500;1,00"))
        try bridge.drop("c.csv", KioskCSV.file(sequence: 3, records: [KioskCSV.D(id: "K42-3", receipt: "B-3").line], trailer: "T;1;1,00"))
        try bridge.drop("d.csv", KioskCSV.file(sequence: 4, records: [KioskCSV.D(id: "K42-4", receipt: "B-4").line]))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 2)
        #expect(result.json["files_rejected"] as? Int == 2)
        #expect(result.json["payments_booked"] as? Int == 2)
        #expect(result.json["payments_exported"] as? Int == 2)
        #expect(Set(bridge.files(in: bridge.rejected)) == ["b.csv", "b.csv.reason.txt", "c.csv", "c.csv.reason.txt"])
        #expect(bridge.text(bridge.rejected.appendingPathComponent("b.csv.reason.txt")).contains("line 2502"))
        #expect(bridge.text(bridge.rejected.appendingPathComponent("c.csv.reason.txt")).contains("line 3"))
        #expect(bridge.run(["audit", "verify"], now: nil).status == 0)
    }

    @Test("Whole file or nothing: a missing trailer rejects the file")
    func missingTrailer() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", "H;1;KIOSK-0042;L;1;2026-11-21T14:15:00+01:00\n" + KioskCSV.D(id: "K42-1", receipt: "B-1").line + "\n")
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
        #expect(bridge.text(bridge.rejected.appendingPathComponent("K.csv.reason.txt")).contains("trailer"))
    }

    @Test("Per record: a file with a valid trailer is accepted except for its invalid records, each with its line")
    func invalidRecordsRejectedOneByOne() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", payer: "3102901234", receipt: "B-2").line,
            KioskCSV.D(id: "K42-3", type: "PARKERING", receipt: "B-3").line,
            KioskCSV.D(id: "K42-4", amount: "0", receipt: "B-4").line,
            KioskCSV.D(id: "K42-5", amount: "-5,00", receipt: "B-5").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(result.json["records_rejected"] as? Int == 4)
        #expect(result.json["payments_exported"] as? Int == 1)
        let rejected = bridge.receipt("B-2")
        #expect(rejected.first?["status"] as? String == "rejected")
        #expect((rejected.first?["reason"] as? String)?.contains("line 3") == true)
        #expect(!result.stdout.contains("3102901234") && !result.stderr.contains("3102901234"))
    }

    @Test("An amount that cannot be read at all rejects the whole file")
    func unreadableAmountRejectsFile() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", amount: "4O,00", receipt: "B-1").line],
                                               trailer: "T;1;40,00"))
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
    }

    @Test("UTF-8 with BOM, Latin-1 and CRLF files are all read; Åbyhøj survives")
    func encodings() throws {
        let bridge = try BridgeFixture()
        let records = [KioskCSV.D(id: "K42-1", receipt: "B-1").line]
        try bridge.drop("a.csv", "\u{FEFF}" + KioskCSV.file(kiosk: "K-A", location: "Åbyhøj", sequence: 1, records: records))
        try bridge.drop("b.csv", KioskCSV.file(kiosk: "K-B", location: "Åbyhøj", sequence: 1, records: records), latin1: true)
        try bridge.drop("c.txt", KioskCSV.file(kiosk: "K-C", location: "Åbyhøj", sequence: 1, records: records)
            .replacingOccurrences(of: "\n", with: "\r\n"))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 3)
        let matches = bridge.receipt("B-1")
        #expect(matches.count == 3)
        #expect(matches.allSatisfy { $0["location"] as? String == "Åbyhøj" })
    }

    @Test("Files still being written (dot files, .tmp, .part, .filepart) are never read")
    func filesInProgressAreLeft() throws {
        let bridge = try BridgeFixture()
        let content = KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line])
        for name in [".K.csv", "K.csv.tmp", "K.csv.part", "K.csv.filepart"] { try bridge.drop(name, content) }
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 0)
        #expect(bridge.files(in: bridge.inbox).count == 4)
    }

    @Test("Stability: a file is taken only after it stayed unchanged for settle_seconds; the cycle waits itself")
    func settleWait() throws {
        let bridge = try BridgeFixture(settleSeconds: 1)
        try bridge.drop("K.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let started = Date()
        let result = bridge.cycle()
        #expect(Date().timeIntervalSince(started) >= 1)
        #expect(result.json["files_accepted"] as? Int == 1)
    }

    @Test("A zero-length file that stays zero-length is rejected, not skipped forever")
    func emptyFileIsRejected() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("empty.csv", "")
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
        #expect(bridge.files(in: bridge.rejected).contains("empty.csv.reason.txt"))
    }

    @Test("Duplicate file: the same content under another name is archived as a duplicate and books nothing")
    func duplicateFile() throws {
        let bridge = try BridgeFixture()
        let content = KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line])
        try bridge.drop("first.csv", content)
        _ = bridge.cycle()
        try bridge.drop("again.csv", content)
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["files_duplicate"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 0)
        #expect(bridge.allFiles(under: bridge.archive).contains("2026-11-21/again.csv"))
        #expect(bridge.receipt("B-1").count == 1)
    }

    @Test("A rejected file may be sent again and is judged again")
    func rejectedFileJudgedAgain() throws {
        let bridge = try BridgeFixture()
        let bad = KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line], trailer: "T;1;1,00")
        try bridge.drop("K.csv", bad)
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
        try bridge.drop("K.csv", bad)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").json["files_rejected"] as? Int == 1)
        #expect(bridge.files(in: bridge.rejected).count == 4)
    }

    @Test("Sequence numbers: the same sequence with different content is rejected; a gap is reported")
    func sequenceRules() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 123, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        try bridge.drop("b.csv", KioskCSV.file(sequence: 123, records: [KioskCSV.D(id: "K42-2", receipt: "B-2").line]))
        try bridge.drop("c.csv", KioskCSV.file(sequence: 126, records: [KioskCSV.D(id: "K42-3", receipt: "B-3").line]))
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["files_rejected"] as? Int == 1)
        #expect(result.json["files_accepted"] as? Int == 1)
        let warnings = result.json["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("124") && $0.contains("125") && $0.contains("KIOSK-0042") })
    }

    @Test("Order within one run: kiosk id, then sequence, so a void in a later file finds its payment")
    func orderWithinRun() throws {
        let bridge = try BridgeFixture()
        // Names sort the void's file first; the header's sequence puts it second.
        try bridge.drop("a_void.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.V(id: "K42-9", voids: "K42-1").line]))
        try bridge.drop("z_payment.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 0)
        #expect(result.json["payments_exported"] as? Int == 0)
        #expect(bridge.receipt("B-1").first?["status"] as? String == "voided")
    }

    @Test("Duplicate transaction: the same id with the same content is ignored; with different content it is a conflict")
    func duplicateAndConflictingTransactions() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.D(id: "K42-1", amount: "41,00", receipt: "B-1").line,
        ]))
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["records_rejected"] as? Int == 1)
        #expect(result.json["records_duplicate"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 0)
    }

    @Test("A rejected record was never booked: its id may be sent again, corrected")
    func correctedRecordResent() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", payer: "3102901234", receipt: "B-1").line]))
        _ = bridge.cycle()
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        let result = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(result.json["payments_exported"] as? Int == 1)
        let statuses = bridge.receipt("B-1").compactMap { $0["status"] as? String }.sorted()
        #expect(statuses == ["exported", "rejected"])
    }

    @Test("Voids: a void before its payment in the same file does not find it and is rejected")
    func voidBeforePaymentInSameFile() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.V(id: "K42-9", voids: "K42-1").line, KioskCSV.D(id: "K42-1", receipt: "B-1").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 1)
        #expect(result.json["payments_exported"] as? Int == 1)
    }

    @Test("Voids: unknown payment, already voided, or a different amount are rejected (that record only)")
    func badVoids() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line,
            KioskCSV.V(id: "K42-7", voids: "K42-404").line,
            KioskCSV.V(id: "K42-8", voids: "K42-1", amount: "39,00").line,
            KioskCSV.V(id: "K42-9", voids: "K42-1").line,
            KioskCSV.V(id: "K42-10", voids: "K42-1").line,
        ]))
        let result = bridge.cycle()
        #expect(result.json["records_rejected"] as? Int == 3)
        #expect(result.json["payments_exported"] as? Int == 0)
    }

    @Test("A kiosk id that could name a path rejects the file", arguments: ["../etc", "a/b", ".."])
    func pathKioskID(kiosk: String) throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(kiosk: kiosk, sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
        #expect(bridge.allFiles(under: bridge.root).allSatisfy { !$0.contains("etc/") })
    }

    @Test("Header timestamp without offset in a DST gap rejects the whole file")
    func headerInDSTGap() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, createdAt: "2026-03-29T02:30:00",
                                               records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().json["files_rejected"] as? Int == 1)
    }

    @Test("XML: a valid file is booked; a DOCTYPE rejects it with line and column")
    func xmlFiles() throws {
        let bridge = try BridgeFixture()
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <KioskExport xmlns="urn:kioskbridge:kiosk-export:1" version="1" kioskId="KIOSK-0108" location="Vesterbro" sequence="7" createdAt="2026-11-21T14:12:00+01:00">
              <Payment id="K108-1" paidAt="2026-11-21T13:20:00+01:00" payer="29000018" claimType="ERSTATNING" amount="500.00" tender="CARD" receipt="B-108001"/>
              <Control count="1" total="500.00"/>
            </KioskExport>

            """
        try bridge.drop("good.xml", xml)
        try bridge.drop("evil.xml", xml.replacingOccurrences(of: "<KioskExport xmlns", with: "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<KioskExport xmlns")
            .replacingOccurrences(of: "sequence=\"7\"", with: "sequence=\"8\""))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(result.json["files_rejected"] as? Int == 1)
        let reason = bridge.text(bridge.rejected.appendingPathComponent("evil.xml.reason.txt"))
        #expect(reason.contains("DOCTYPE"))
        #expect(reason.contains("line 2, column 1"))
        #expect(bridge.receipt("B-108001").first?["payer"] as? String == "29000018")
    }

    @Test("What is left in processing/ at start-up is taken up again")
    func recoveryFromProcessing() throws {
        let bridge = try BridgeFixture()
        let content = KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line])
        try Data(content.utf8).write(to: bridge.processing.appendingPathComponent("left.csv"))
        let result = bridge.cycle()
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(bridge.files(in: bridge.processing).isEmpty)
    }
}
