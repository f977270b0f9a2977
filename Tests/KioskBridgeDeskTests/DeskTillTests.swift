import Foundation
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Logging
import Testing
@testable import KioskBridgeDesk

/// The desk till (issue 16), over real HTTP: roles, the preview, booking once, refusals,
/// and the payment going out with the next cycle like a kiosk's.
@Suite("The desk till", .serialized)
struct DeskTillTests {
    static let till = TillSettings(id: "DESK-HOVED", location: "Hovedbiblioteket, skranken")
    static let cashier = "bo"
    static let cashierPassword = "kasse-kode-12345"

    /// A desk with one till, an account `bo` with the till role logged in, and the form's token.
    static func tillDesk() async throws -> (desk: DeskFixture, client: DeskClient, token: String) {
        let desk = try await DeskFixture.start(tills: [till])
        let now = DeskFixture.instant(DeskFixture.now)
        try await desk.store.desk { session in
            _ = try await session.saveUser(name: cashier, passwordHash: DeskPasswords.hash(cashierPassword, cost: 4), at: now)
            _ = try await session.setRole(name: cashier, role: .till, by: "test", at: now)
        }
        let client = DeskClient(port: desk.port)
        try await client.login(cashier, cashierPassword)
        let page = try await client.get("/betaling")
        #expect(page.status == 200)
        return (desk, client, page.formToken ?? "")
    }

    static let payer = "0707071234"

    static func fields(_ token: String, payer: String = Self.payer, amount: String = "25,00", claimType: String = "BIBLIOTEKSGEBYR",
                       tender: String = "MOBILEPAY", reference: String = "MP-4711") -> [(String, String)] {
        [("token", token), ("till", till.id), ("payer", payer), ("claim_type", claimType), ("amount", amount), ("tender", tender),
         ("reference", reference), ("note", "")]
    }

    /// The hidden `booking` token of a preview page.
    static func booking(_ body: String) -> String? {
        guard let range = body.range(of: #"name="booking" value=""#) else { return nil }
        return String(body[range.upperBound...].prefix { $0 != "\"" })
    }

    static func pendingTillPayments(_ desk: DeskFixture) async throws -> [TillEntry] {
        try await desk.store.desk { try await $0.tillEntriesToFile(tillID: till.id) }
    }

    /// Runs a cycle of the desk's bridge at `now`.
    @discardableResult
    static func cycle(_ desk: DeskFixture, at now: String) async throws -> CycleSummary {
        let logger = Logger(label: "till-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let ingest = IngestRun(configuration: desk.configuration, store: desk.store, logger: logger, sleep: { _ in })
        return try await CycleRun(configuration: desk.configuration, store: desk.store, logger: logger, ingest: ingest).run(at: DeskFixture.instant(now))
    }

    /// Previews and books a payment; the confirmation's answer.
    static func book(_ client: DeskClient, _ token: String, amount: String = "25,00", tender: String = "MOBILEPAY") async throws -> DeskClient.Response {
        let form = Self.fields(token, amount: amount, tender: tender)
        let preview = try await client.post("/betaling", form: form)
        return try await client.post("/betaling/bekraeft", form: form + [("booking", Self.booking(preview.body) ?? "")])
    }

    @Test("tillCloseShowsDifference: the close compares the counted cash with the day's registered cash (voided and non-cash payments left out); report shows the till like a kiosk, a line per staff member and the close")
    func tillCloseShowsDifference() async throws {
        let (desk, client, token) = try await Self.tillDesk()
        #expect(try await Self.book(client, token, amount: "25,00", tender: "CASH").status == 303)
        #expect(try await Self.book(client, token, amount: "40,00", tender: "CASH").status == 303)
        #expect(try await Self.book(client, token, amount: "30,00", tender: "MOBILEPAY").status == 303)
        #expect(try await client.post("/kvittering/annuller", form: [("token", token), ("kasse", Self.till.id), ("nr", "2"),
                                                                     ("reason", "slået forkert ind")]).status == 303)
        let before = try await client.get("/kasseopgoerelse?kasse=DESK-HOVED")
        #expect(before.status == 200)
        #expect(before.body.contains("25,00 kr."))
        let bad = try await client.post("/kasseopgoerelse", form: [("token", token), ("kasse", Self.till.id), ("counted", "20,005")])
        #expect(bad.status == 400)
        #expect(bad.body.contains("Beløb:"))
        let closed = try await client.post("/kasseopgoerelse", form: [("token", token), ("kasse", Self.till.id), ("counted", "20,00"),
                                                                      ("note", "talt to gange")])
        #expect(closed.status == 303)
        let after = try await client.get("/kasseopgoerelse?kasse=DESK-HOVED")
        #expect(after.body.contains("Kassen mangler 5,00 kr."))
        #expect(after.body.contains("talt to gange"))

        try await Self.cycle(desk, at: "2026-11-21T15:20:00+01:00")
        let report = try await Reconciliation.make(date: LocalDate(iso: "2026-11-21")!, store: desk.store)
        let till = try #require(report.kiosks.first { $0.kioskID == Self.till.id })
        #expect(till.received.sum == Amount(ore: 9500))
        #expect(till.voided.sum == Amount(ore: 4000))
        #expect(till.byOperator["bo"]?.count == 3)
        #expect(till.tillClose?.difference == Amount(ore: -500))
        #expect(till.differences.contains { $0.contains("till close: counted 20,00 kr. against registered cash 25,00 kr.") })
        #expect(report.text.contains("taken by bo"))
        #expect(report.text.contains("till close  counted 20,00 kr., registered cash 25,00 kr., difference -5,00 kr."))
    }

    @Test("tillVoids: a till user voids a payment with a reason; before its export neither goes to the debtor, after it a reversal does; the trail and the receipt name who voided it",
          arguments: [false, true])
    func tillVoids(afterExport: Bool) async throws {
        let (desk, client, token) = try await Self.tillDesk()
        #expect(try await Self.book(client, token).status == 303)
        if afterExport {
            let exported = try await Self.cycle(desk, at: "2026-11-21T15:20:00+01:00")
            #expect(exported.errors.isEmpty)
        }
        let empty = try await client.post("/kvittering/annuller", form: [("token", token), ("kasse", Self.till.id), ("nr", "1"), ("reason", " ")])
        #expect(empty.status == 400)
        #expect(empty.body.contains("begrundelse"))
        let voided = try await client.post("/kvittering/annuller", form: [("token", token), ("kasse", Self.till.id), ("nr", "1"),
                                                                          ("reason", "forkert beløb")])
        #expect(voided.status == 303)
        let twice = try await client.post("/kvittering/annuller", form: [("token", token), ("kasse", Self.till.id), ("nr", "1"), ("reason", "igen")])
        #expect(twice.header("Location")?.contains("igen=1") == true)
        let receipt = try await client.get("/kvittering?kasse=DESK-HOVED&nr=1")
        #expect(receipt.body.contains("Annulleret"))
        #expect(receipt.body.contains("af bo: forkert beløb"))
        #expect(!receipt.body.contains("id=\"void\""))

        let cycle = try await Self.cycle(desk, at: afterExport ? "2026-11-21T15:40:00+01:00" : "2026-11-21T15:20:00+01:00")
        #expect(cycle.errors.isEmpty)
        #expect(try await Self.pendingTillPayments(desk).isEmpty)
        let match = try #require(try await ReceiptLookup(store: desk.store, configuration: desk.configuration).find("DESK-HOVED-000001").first)
        #expect(match.status == .voided)
        #expect(match.void?.effect == (afterExport ? .reversal : .cancel))
        #expect(match.void?.reason?.contains("annulleret af bo") == true)
        #expect(afterExport ? match.reversalExport != nil : match.export == nil)
    }

    @Test("tillNothingLost: a confirmed payment is written into the inbox once while it waits there, again if its file went missing before it was booked, even when its till left the configuration, and booked once")
    func tillNothingLost() async throws {
        let (desk, client, token) = try await Self.tillDesk()
        #expect(try await Self.book(client, token).status == 303)
        let logger = Logger(label: "till-test", factory: { _ in SwiftLogNoOpLogHandler() })
        // A till taken out of the configuration before the cycle still has its payment written.
        var withoutTills = desk.configuration
        withoutTills.tills = []
        #expect(try await TillOutbox(configuration: withoutTills, store: desk.store, logger: logger).writePending() == 1)
        let inboxFolder = desk.configuration.paths.inbox
        let orphan = try #require(try FileManager.default.contentsOfDirectory(atPath: inboxFolder).first { $0.hasPrefix("DESK-HOVED_") })
        #expect(try String(contentsOfFile: inboxFolder + "/" + orphan, encoding: .utf8).hasPrefix("H;1;DESK-HOVED;DESK-HOVED;1;"))
        try FileManager.default.removeItem(atPath: inboxFolder + "/" + orphan)

        let outbox = TillOutbox(configuration: desk.configuration, store: desk.store, logger: logger)
        #expect(try await outbox.writePending() == 1)
        #expect(try await outbox.writePending() == 0)
        let inbox = desk.configuration.paths.inbox
        let written = try FileManager.default.contentsOfDirectory(atPath: inbox).filter { $0.hasPrefix("DESK-HOVED_") }
        #expect(written.count == 1)
        let text = try String(contentsOfFile: inbox + "/" + written[0], encoding: .utf8)
        #expect(text.hasPrefix("H;1;DESK-HOVED;Hovedbiblioteket, skranken;1;"))
        #expect(text.contains(";\(Self.payer);BIBLIOTEKSGEBYR;25,00;MOBILEPAY;DESK-HOVED-000001;bo\n"))
        // Gone before it was booked (removed by hand, a crash before the rename was flushed): written again.
        try FileManager.default.removeItem(atPath: inbox + "/" + written[0])
        #expect(try await outbox.writePending() == 1)
        try await Self.cycle(desk, at: "2026-11-21T15:20:00+01:00")
        try await Self.cycle(desk, at: "2026-11-21T15:40:00+01:00")
        #expect(try await outbox.writePending() == 0)
        let matches = try await ReceiptLookup(store: desk.store, configuration: desk.configuration).find("DESK-HOVED-000001")
        #expect(matches.filter { $0.status != .rejected }.count == 1)
    }

    @Test("tillRoles: a lookup account cannot open or post to the till; a till account can; add-user's accounts start as lookup")
    func tillRoles() async throws {
        let (desk, _, _) = try await Self.tillDesk()
        let lookup = DeskClient(port: desk.port)
        try await lookup.login(DeskFixture.staff, DeskFixture.password)
        #expect(try await desk.store.desk { try await $0.user(named: DeskFixture.staff) }?.role == .lookup)
        let page = try await lookup.get("/betaling")
        #expect(page.status == 403)
        #expect(page.body.contains("rollen till"))
        let token = try #require(try await lookup.get("/").formToken)
        #expect(try await lookup.post("/betaling", form: Self.fields(token)).status == 403)
        #expect(!(try await lookup.get("/").body.contains("id=\"till-link\"")))
        #expect(try await Self.pendingTillPayments(desk).isEmpty)
    }

    @Test("tillBooksOnce: the preview shows the allocation the next cycle makes; confirming books it once, a second submit finds it; the cycle books it as the till's kiosk file with who took it")
    func tillBooksOnce() async throws {
        let (desk, client, token) = try await Self.tillDesk()
        // The payer owes F-2001 (15,00, the older) and F-2002 (30,00).
        let snapshot = desk.root + "/claims-1450.csv"
        try """
            H;1;DEBTOR;2026-11-21T14:50:00+01:00
            C;F-2001;\(Self.payer);BIBLIOTEKSGEBYR;2026-08-01;2026-08-15;15,00;15,00;DEBTOR
            C;F-2002;\(Self.payer);BIBLIOTEKSGEBYR;2026-10-01;2026-10-15;30,00;30,00;DEBTOR
            T;2;45,00

            """.write(toFile: snapshot, atomically: true, encoding: .utf8)
        let logger = Logger(label: "till-test", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try await ClaimsImport(store: desk.store, logger: logger).run(path: snapshot, at: DeskFixture.instant("2026-11-21T14:55:00+01:00"))
        let preview = try await client.post("/betaling", form: Self.fields(token))
        #expect(preview.status == 200)
        #expect(preview.body.contains("F-2001") && preview.body.contains("F-2002"))
        #expect(preview.body.contains("15,00 kr.") && preview.body.contains("10,00 kr."))
        let booking = try #require(Self.booking(preview.body))
        var form = TillForm()
        (form.tillID, form.payer, form.claimType, form.amount, form.tender) = (Self.till.id, Self.payer, "BIBLIOTEKSGEBYR", "25,00", "MOBILEPAY")
        guard case .draft(let draft) = form.check(configuration: desk.configuration) else { Issue.record("the form is refused"); return }
        let expected = try await TillBooking(configuration: desk.configuration, store: desk.store).preview(draft, at: DeskFixture.instant(DeskFixture.now))

        let confirm = Self.fields(token) + [("booking", booking)]
        let booked = try await client.post("/betaling/bekraeft", form: confirm)
        #expect(booked.status == 303)
        #expect(booked.header("Location")?.hasPrefix("/kvittering?kasse=DESK-HOVED&nr=1") == true)
        let again = try await client.post("/betaling/bekraeft", form: confirm)
        #expect(again.header("Location")?.contains("nr=1") == true)
        #expect(again.header("Location")?.contains("igen=1") == true)
        #expect(try await Self.pendingTillPayments(desk).map(\.number) == [1])

        let receipt = try await client.get("/kvittering?kasse=DESK-HOVED&nr=1")
        #expect(receipt.status == 200)
        #expect(receipt.body.contains("DESK-HOVED-000001"))
        #expect(receipt.body.contains("070707-****"))
        #expect(!receipt.body.contains(Self.payer))

        // The next cycle writes the till's file into the inbox and books it like a kiosk's.
        let cycle = try await Self.cycle(desk, at: "2026-11-21T15:20:00+01:00")
        #expect(cycle.errors.isEmpty)
        #expect(try await Self.pendingTillPayments(desk).isEmpty)
        let match = try #require(try await ReceiptLookup(store: desk.store, configuration: desk.configuration).find("DESK-HOVED-000001").first)
        #expect(match.kioskID == "DESK-HOVED")
        #expect(match.operatorID == Self.cashier)
        #expect(match.allocations.filter { !$0.isReversal }.map(\.part) == expected.parts)
        let printed = try await client.get("/kvittering?kasse=DESK-HOVED&nr=1")
        #expect(printed.body.contains("Betalingen er fordelt som vist."))
        // The lookup shows it like a kiosk payment, with who took it and its receipt to print again.
        let lookup = try await client.get("/?q=DESK-HOVED-000001")
        #expect(lookup.body.contains("Betalt ved skranken"))
        #expect(lookup.body.contains("Modtaget af bo"))
        #expect(lookup.body.contains("/kvittering?kasse=DESK-HOVED&amp;nr=1"))
    }

    @Test("tillRefusesBadInput: each bad field is named with what was expected, and nothing is booked",
          arguments: [("payer", "310290-1234", "Betaler (CPR/CVR)"), ("amount", "40,005", "Beløb"), ("amount", "0", "Beløb"),
                      ("claim_type", "UKENDT", "Kravtype"), ("till", "DESK-ANDEN", "Kasse"), ("tender", "CHECK", "Betalingsmiddel")])
    func tillRefusesBadInput(field: String, value: String, label: String) async throws {
        let (desk, client, token) = try await Self.tillDesk()
        let form = Self.fields(token).map { $0.0 == field ? ($0.0, value) : $0 }
        let refused = try await client.post("/betaling", form: form)
        #expect(refused.status == 400)
        #expect(refused.body.contains("\(label):"))
        #expect(refused.body.contains("forventede"))
        #expect(!refused.body.contains("3102901234"))
        let english = try await client.post("/betaling?lang=en", form: form)
        #expect(english.status == 400)
        #expect(english.body.contains(": expected"))
        let confirmed = try await client.post("/betaling/bekraeft", form: form + [("booking", "x")])
        #expect(confirmed.status == 400)
        #expect(try await Self.pendingTillPayments(desk).isEmpty)
    }

    @Test("tillRefusesStaleOrChangedForm: a confirmation older than 30 minutes, or of an amount other than the preview's, books nothing")
    func tillRefusesStaleOrChangedForm() async throws {
        let (desk, client, token) = try await Self.tillDesk()
        let preview = try await client.post("/betaling", form: Self.fields(token))
        let booking = try #require(Self.booking(preview.body))
        let changed = try await client.post("/betaling/bekraeft", form: Self.fields(token, amount: "2,50") + [("booking", booking)])
        #expect(changed.status == 400)
        #expect(changed.body.contains("Formular:"))

        var form = TillForm()
        (form.tillID, form.payer, form.claimType, form.amount, form.tender, form.reference) =
            (Self.till.id, Self.payer, "BIBLIOTEKSGEBYR", "25,00", "MOBILEPAY", "MP-4711")
        guard case .draft(let draft) = form.check(configuration: desk.configuration) else { Issue.record("the form is refused"); return }
        let session = DeskSessionData(staff: Self.cashier, formToken: token, keyHash: "", role: .till)
        let old = BookingToken.issue(for: draft, session: session, at: DeskFixture.instant("2026-11-21T14:29:00+01:00"))
        let stale = try await client.post("/betaling/bekraeft", form: Self.fields(token) + [("booking", old)])
        #expect(stale.status == 400)
        #expect(stale.body.contains("30 minutter"))
        #expect(try await Self.pendingTillPayments(desk).isEmpty)
    }
}
