import Testing
@testable import KioskBridgeCore

/// kiosk-file.md: the rules that do not depend on bytes (those are in the format tests).
@Suite("kiosk-file.md: records, transaction ids, voids, trailer")
struct KioskFileRulesTests {
    let mapping = ClaimTypeMapping(["BIBLIOTEKSGEBYR": "BIBGEBYR", "ERSTATNING": "BIBERSTAT"])

    func fields(id: String = "K42-1", paidAt: String = "2026-11-21T14:02:11+01:00", payer: String = "0101901234",
                type: String = "BIBLIOTEKSGEBYR", ore: Int = 4000, tender: String = "CASH", receipt: String = "B-1",
                operatorID: String? = nil) -> PaymentFields {
        PaymentFields(transactionID: id, paidAt: paidAt, payer: payer, claimType: type, amount: Amount(ore: ore), tender: tender,
                      receipt: receipt, operatorID: operatorID)
    }

    func problem(_ result: Result<PaymentRecord, IntakeProblem>) -> IntakeProblem? {
        if case .failure(let problem) = result { return problem }
        return nil
    }

    @Test("A valid D record is booked with its fields")
    func validPayment() throws {
        let record = try fields().validated(claimTypes: mapping, line: 2).get()
        #expect(record.amount == Amount(ore: 4000))
        #expect(record.payer.digits == "0101901234")
        #expect(record.tender == .cash)
        #expect(record.operatorID == nil)
    }

    @Test("A D amount of zero or below is rejected (that record)", arguments: [0, -100])
    func nonPositiveAmount(ore: Int) {
        let found = problem(fields(ore: ore).validated(claimTypes: mapping, line: 3))
        #expect(found?.code == .amountNotPositive)
        #expect(found?.field == RecordField.Payment.amount)
        #expect(found?.line == 3)
    }

    @Test("An unmapped claim type code is rejected")
    func unmappedClaimType() {
        let found = problem(fields(type: "PARKERING").validated(claimTypes: mapping, line: 4))
        #expect(found?.code == .unmappedClaimType)
        #expect(found?.description.contains("BIBLIOTEKSGEBYR") == true)
    }

    @Test("Tender must be CASH, CARD or MOBILEPAY", arguments: ["cash", "CHEQUE", ""])
    func badTender(tender: String) {
        #expect(problem(fields(tender: tender).validated(claimTypes: mapping, line: 2))?.field == RecordField.Payment.tender)
    }

    @Test("A bad CPR rejects the record and the message names line and field but not the number")
    func badPayerMessage() {
        let found = problem(fields(payer: "3102901234").validated(claimTypes: mapping, line: 7))
        #expect(found?.field == RecordField.Payment.payer)
        let text = found?.description ?? ""
        #expect(text.contains("line 7"))
        #expect(text.contains("field 4 (payer)"))
        #expect(!text.contains("3102901234"))
    }

    @Test("A timestamp without offset in the autumn hour rejects the record")
    func ambiguousPaidAt() {
        let found = problem(fields(paidAt: "2026-10-25T02:30:00").validated(claimTypes: mapping, line: 2))
        #expect(found?.field == RecordField.Payment.paidAt)
    }

    @Test("Transaction id and receipt number are required")
    func requiredIdentifiers() {
        #expect(problem(fields(id: "").validated(claimTypes: mapping, line: 2))?.code == .missingValue)
        #expect(problem(fields(receipt: "").validated(claimTypes: mapping, line: 2))?.field == RecordField.Payment.receipt)
    }

    @Test("Identifiers: printable, at most 100 characters, no leading or trailing white space", arguments: [
        ("K42-1", nil), ("K 42", nil), (String(repeating: "x", count: 100), nil), ("Kø-1", nil),
        (String(repeating: "ø", count: 100), nil),
        (" K42", "no leading or trailing spaces"), ("K42 ", "no leading or trailing spaces"),
        ("Kø\u{00A0}", "no leading or trailing spaces"),
        (String(repeating: "x", count: 101), "at most 100 characters"), (String(repeating: "ø", count: 101), "at most 100 characters"),
        ("K\t42", "printable characters only"), ("K42\u{7F}", "printable characters only"), ("Kø\u{85}", "printable characters only"),
    ] as [(String, String?)])
    func identifierRules(text: String, expected: String?) {
        #expect(Identifier.problem(text) == expected)
    }

    func record(_ fields: PaymentFields) -> PaymentRecord { try! fields.validated(claimTypes: mapping, line: 1).get() }

    @Test("The same transaction id with the same content is a duplicate and is ignored")
    func duplicateTransaction() {
        let payment = record(fields())
        #expect(TransactionRules.judge(payment, line: 2, existing: .payment(payment, source: "a.csv line 2")) == .duplicate)
    }

    @Test("The same transaction id with different content is a conflict and is rejected")
    func conflictingTransaction() {
        let booked = record(fields())
        guard case .reject(let problem) = TransactionRules.judge(record(fields(ore: 5000)), line: 2,
                                                                 existing: .payment(booked, source: "a.csv line 2"))
        else { Issue.record("expected a conflict"); return }
        #expect(problem.code == .conflict)
        #expect(problem.description.contains("amount"))
    }

    @Test("Transaction ids are unique per kiosk across D and V records")
    func idsUniqueAcrossPaymentsAndVoids() {
        let void = VoidRecord(voidID: "K42-1", voidedAt: instant("2026-11-21T14:12:00+01:00"), voidsTransactionID: "K42-0",
                              amount: Amount(ore: 100), reason: nil)
        guard case .reject(let problem) = TransactionRules.judge(record(fields()), line: 2, existing: .void(void, source: "x"))
        else { Issue.record("expected a conflict"); return }
        #expect(problem.code == .conflict)
    }

    let void = VoidRecord(voidID: "V-1", voidedAt: instant("2026-11-21T14:12:00+01:00"), voidsTransactionID: "K42-1",
                          amount: Amount(ore: 4000), reason: "wrong amount")

    @Test("A void of a payment not yet exported cancels it; of an exported payment, reverses it")
    func voidEffects() {
        #expect(TransactionRules.judge(void, line: 3, existing: nil,
                                       target: VoidTarget(amount: Amount(ore: 4000), isVoided: false, isExported: false)) == .cancelPayment)
        #expect(TransactionRules.judge(void, line: 3, existing: nil,
                                       target: VoidTarget(amount: Amount(ore: 4000), isVoided: false, isExported: true)) == .reversePayment)
    }

    @Test("A void of an unknown payment is rejected")
    func voidOfUnknownPayment() {
        guard case .reject(let problem) = TransactionRules.judge(void, line: 3, existing: nil, target: nil) else {
            Issue.record("expected a rejection"); return
        }
        #expect(problem.code == .unknownPayment)
    }

    @Test("A void of an already voided payment is rejected")
    func voidOfVoidedPayment() {
        guard case .reject(let problem) = TransactionRules.judge(
            void, line: 3, existing: nil, target: VoidTarget(amount: Amount(ore: 4000), isVoided: true, isExported: false))
        else { Issue.record("expected a rejection"); return }
        #expect(problem.code == .alreadyVoided)
    }

    @Test("A void whose amount differs from the payment's is rejected")
    func voidAmountMismatch() {
        guard case .reject(let problem) = TransactionRules.judge(
            void, line: 3, existing: nil, target: VoidTarget(amount: Amount(ore: 4500), isVoided: false, isExported: false))
        else { Issue.record("expected a rejection"); return }
        #expect(problem.code == .voidAmountMismatch)
        #expect(problem.description.contains("45,00"))
    }

    @Test("Trailer: counts D and V records and sums D minus V amounts, as written")
    func trailerTally() throws {
        var tally = TrailerTally()
        try tally.countPayment(Amount(ore: 4000), line: 2)
        try tally.countPayment(Amount(ore: -500), line: 3)
        try tally.countVoid(Amount(ore: 1000), line: 4)
        try tally.check(countText: "3", sum: Amount(ore: 2500), line: 5, decimalSeparator: ",")
        #expect(throws: IntakeProblem.self) { try tally.check(countText: "2", sum: Amount(ore: 2500), line: 5, decimalSeparator: ",") }
        #expect(throws: IntakeProblem.self) { try tally.check(countText: "3", sum: Amount(ore: 2501), line: 5, decimalSeparator: ",") }
    }

    @Test("Kiosk ids: 1-64 of A-Z a-z 0-9 . _ -, starting with a letter or digit; never a path", arguments: [
        ("KIOSK-0042", true), ("k.1_a-b", true), ("../x", false), ("..", false), ("a/b", false), ("", false), ("-x", false),
        ("a b", false), (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false), ("Århus", false),
    ])
    func kioskIDs(text: String, valid: Bool) {
        #expect((KioskID(text) != nil) == valid)
    }

    @Test("A header with a bad kiosk id, version, sequence or created-at rejects the file")
    func headerRules() {
        #expect(throws: IntakeProblem.self) {
            try KioskFileHeader(version: "1", kioskID: "../etc", location: "x", sequence: "1", createdAt: "2026-11-21T14:15:00+01:00", line: 1)
        }
        #expect(throws: IntakeProblem.self) {
            try KioskFileHeader(version: "2", kioskID: "K", location: "x", sequence: "1", createdAt: "2026-11-21T14:15:00+01:00", line: 1)
        }
        #expect(throws: IntakeProblem.self) {
            try KioskFileHeader(version: "1", kioskID: "K", location: "x", sequence: "0", createdAt: "2026-11-21T14:15:00+01:00", line: 1)
        }
        #expect(throws: IntakeProblem.self) {
            try KioskFileHeader(version: "1", kioskID: "K", location: "x", sequence: "1", createdAt: "2026-03-29T02:30:00", line: 1)
        }
        #expect((try? KioskFileHeader(version: "1", kioskID: "K", location: "x", sequence: "123",
                                      createdAt: "2026-11-21T14:15:00+01:00", line: 1))?.sequence == 123)
    }

    @Test("A location name is at most 200 printable characters (it is kept with every payment); a longer one rejects the file",
          arguments: [(String(repeating: "Å", count: 200), true), (String(repeating: "Å", count: 201), false), ("Syd\nNord", false)])
    func locationBound(location: String, valid: Bool) {
        let header = Result { try KioskFileHeader(version: "1", kioskID: "K", location: location, sequence: "1",
                                                  createdAt: "2026-11-21T14:15:00+01:00", line: 1) }
        switch header {
        case .success(let value):
            #expect(valid)
            #expect(value.location == location)
        case .failure(let problem):
            #expect(!valid)
            #expect((problem as? IntakeProblem)?.field == RecordField.Header.location)
            #expect((problem as? IntakeProblem)?.description.contains("at most 200 printable characters") == true)
        }
    }

    @Test("A refused record reaches the store with each field whole up to 100 characters, and cut beyond")
    func refusedRecordBounded() {
        let long = String(repeating: "9", count: 70_000)
        let summary = RecordSummary(recordType: .payment, transactionID: "K42-" + String(repeating: "x", count: 96), receipt: "B-" + long,
                                    payerText: long, paidAtText: long, claimType: long, amount: Amount(ore: 1), tender: long)
        let bounded = summary.bounded
        #expect(bounded.transactionID == summary.transactionID)
        for field in [bounded.receipt, bounded.payerText, bounded.paidAtText, bounded.claimType, bounded.tender] {
            #expect((field?.count ?? 0) <= 81)
            #expect(field?.hasSuffix("…") == true)
        }
        #expect(bounded.amount == Amount(ore: 1))
    }
}

@Suite("claims-snapshot.md and debtor-export.md naming")
struct SnapshotAndExportRulesTests {
    @Test("A snapshot older than the loaded one of the same source is refused; the same as-of time replaces")
    func olderSnapshotRefused() {
        let loaded = instant("2026-11-21T06:00:00+01:00")
        let older = ClaimsSnapshotHeader(source: .debtor, asOf: instant("2026-11-20T06:00:00+01:00"))
        let same = ClaimsSnapshotHeader(source: .debtor, asOf: loaded)
        #expect(SnapshotReplacement.judge(incoming: older, loadedAsOf: loaded) == .refuseOlder(loaded: loaded))
        #expect(SnapshotReplacement.judge(incoming: same, loadedAsOf: loaded) == .load)
        #expect(SnapshotReplacement.judge(incoming: older, loadedAsOf: nil) == .load)
    }

    @Test("Export file name: <prefix>_<YYYYMMDD>_<sequence, 6 digits>.csv with the cycle's local date")
    func exportFileName() {
        // 23:30 UTC on 21 November is already 22 November in Copenhagen.
        #expect(ExportFileName.make(prefix: "kioskpay", createdAt: instant("2026-11-21T23:30:00Z"), sequence: 7, fileExtension: "csv")
            == "kioskpay_20261122_000007.csv")
    }
}
