import Foundation
import StoreTestSupport
import Testing

/// identifiers.md: "Where a CPR number is shown or logged, it is masked ... Logs never hold it whole."
@Suite("CPR numbers stay masked", .serialized)
struct PersonalDataEndToEndTests {
    @Test("A CPR number in the wrong column never reaches stdout, stderr, reason files or the receipt lookup whole")
    func columnMixUp() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", paidAt: "0101901234", receipt: "B-1").line,
            KioskCSV.D(id: "K42-2", payer: "0101901234", type: "1505851237", receipt: "B-2").line,
            KioskCSV.D(id: "2208924321", payer: "0101901234", receipt: "B-3", operatorID: "010190-1234").line,
        ]))
        let cycle = bridge.cycle()
        let receipt1 = bridge.run(["receipt", "B-1"], now: nil)
        let receipt2 = bridge.run(["receipt", "0101901234"], now: nil, json: false)
        let notes = bridge.allFiles(under: bridge.archive).map { bridge.text(bridge.archive.appendingPathComponent($0)) }
            .filter { $0.contains("rejected") }.joined()
        let everything = [cycle.stdout, cycle.stderr, receipt1.stdout, receipt1.stderr, receipt2.stdout, notes].joined()
        for number in ["0101901234", "1505851237", "2208924321", "010190-1234"] {
            #expect(!everything.contains(number), "\(number) appeared")
        }
        #expect(notes.contains("010190-****"))
    }

    @Test("A search by a CPR number that is not a valid date finds the record refused for it, and is echoed masked")
    func invalidCPRSearch() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", payer: "3102901234", receipt: "B-1").line]))
        _ = bridge.cycle()
        let result = bridge.run(["receipt", "310290-1234"], now: nil)
        #expect(result.json["query"] as? String == "310290-****")
        #expect((result.json["matches"] as? [[String: Any]])?.first?["status"] as? String == "rejected")
        #expect(!result.stdout.contains("3102901234"))
    }

    @Test("receipt: the transaction id of a void finds the payment it voided")
    func voidIDFindsPayment() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [
            KioskCSV.D(id: "K42-1", receipt: "B-1").line, KioskCSV.V(id: "K42-2", voids: "K42-1").line,
        ]))
        _ = bridge.cycle()
        let match = bridge.receipt("K42-2").first
        #expect(match?["transaction_id"] as? String == "K42-1")
        #expect(match?["status"] as? String == "voided")
        #expect((match?["reason"] as? String)?.contains("K42-2") == true)
    }

    @Test("The database, archive, rejected and processing folders are the service user's only")
    func permissions() throws {
        let bridge = try BridgeFixture()
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        _ = bridge.cycle()
        func mode(_ url: URL) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]) as? Int ?? 0o777) & 0o777
        }
        if bridge.backend == .sqlite { #expect(mode(bridge.root.appendingPathComponent("kioskbridge.sqlite")) == 0o600) }
        for folder in [bridge.archive, bridge.rejected, bridge.processing] { #expect(mode(folder) == 0o700) }
    }
}
