import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// The desk's roles and the tills' payments (TillSchema), the same on every store.
@Suite("Store conformance: desk roles and till payments")
struct TillConformanceTests {
    typealias S = StoreScenario

    static func taken(_ token: String, ore: Int = 2500, till: String = S.kiosk.description) -> NewTillPayment {
        NewTillPayment(tillID: till, formToken: token, staff: "bo", takenAt: S.day, payerDigits: S.personA, claimType: "BIBLIOTEKSGEBYR",
                       amount: Amount(ore: ore), tender: "MOBILEPAY", reference: "MP-1", note: nil)
    }

    @Test("deskRoles: a new account is lookup; a role change is kept, read with the session, and in the trail", arguments: TestBackend.allCases)
    func deskRoles(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        let later = S.day.adding(seconds: 3600)
        let user = try await scenario.store.desk { session in
            let added = try await session.saveUser(name: "bo", passwordHash: "h", at: S.day)
            try await session.createSession(StoredDeskSession(keyHash: "k1", staff: "bo", formToken: "t1", createdAt: S.day, expiresAt: later))
            return added
        }
        #expect(user.role == .lookup)
        #expect(try await scenario.store.desk { try await $0.session(keyHash: "k1", at: S.day) }?.role == .lookup)
        let changed = try await scenario.store.desk { try await $0.setRole(name: "bo", role: .till, by: "test", at: S.day) }
        #expect(changed?.role == .till)
        #expect(try await scenario.store.desk { try await $0.session(keyHash: "k1", at: S.day) }?.role == .till)
        // A new password keeps the role.
        #expect(try await scenario.store.desk { try await $0.saveUser(name: "bo", passwordHash: "h2", at: S.day) }.role == .till)
        #expect(try await scenario.store.desk { try await $0.setRole(name: "nobody", role: .admin, by: "test", at: S.day) } == nil)
        let trail = try await scenario.store.lookup { try await $0.trail(subject: "desk-user", id: user.id) }
        #expect(trail.contains { $0.event == "role-changed" && $0.cause.contains("lookup → till") })
    }

    static func payments(_ entries: [TillEntry]) -> [TillPayment] {
        entries.compactMap { if case .payment(let payment) = $0 { payment } else { nil } }
    }

    @Test("tillNumbersGapFree: each till numbers its payments 1, 2, 3 …; a form's token books once; the records not yet filed are those above the till's files",
          arguments: TestBackend.allCases)
    func tillNumbersGapFree(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        let till = S.kiosk.description
        var numbers: [Int] = []
        for token in ["a", "b", "c"] {
            let issue = try await scenario.store.desk { try await $0.issueTillPayment(Self.taken(token)) }
            guard case .issued(let payment) = issue else { Issue.record("token \(token) was not issued"); continue }
            numbers.append(payment.receiptNumber)
            #expect(payment.number == payment.receiptNumber)
        }
        #expect(numbers == [1, 2, 3])
        let other = try await scenario.store.desk { try await $0.issueTillPayment(Self.taken("d", till: "DESK-FILIAL")) }
        #expect(other.payment.receiptNumber == 1)
        let again = try await scenario.store.desk { try await $0.issueTillPayment(Self.taken("b", ore: 9900)) }
        #expect(again == .alreadyIssued(try #require(try await scenario.store.desk { try await $0.tillPayment(tillID: till, receiptNumber: 2) })))
        #expect(again.payment.taken.amount == Amount(ore: 2500))
        #expect(try await scenario.store.desk { try await $0.tillEntriesToFile(tillID: till) }.map(\.number) == [1, 2, 3])

        _ = try await scenario.bookFile(1, payments: [S.payment("K42-1")])
        _ = try await scenario.bookFile(2, payments: [S.payment("K42-2", minute: 1)])
        let left = Self.payments(try await scenario.store.desk { try await $0.tillEntriesToFile(tillID: till) })
        #expect(left.map(\.number) == [3])
        #expect(left.first?.taken == Self.taken("c"))
        #expect(left.first?.receipt == "KIOSK-0042-000003")
        let trail = try await scenario.store.lookup { try await $0.trail(subject: "till-payment", id: left[0].id) }
        #expect(trail.map(\.event) == ["taken"])
        #expect(trail.first?.cause.contains("taken by bo") == true)
    }

    @Test("tillVoidOnce: a void takes the till's next file number, not a receipt number; a payment is voided once; an unknown receipt is not voided",
          arguments: TestBackend.allCases)
    func tillVoidOnce(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        let till = S.kiosk.description
        let first = try await scenario.store.desk { try await $0.issueTillPayment(Self.taken("a")) }.payment
        let later = S.day.adding(seconds: 600)
        let void = NewTillVoid(tillID: till, receiptNumber: 1, staff: "anne", voidedAt: later, reason: "forkert beløb")
        guard case .voided(let voided) = try await scenario.store.desk({ try await $0.issueTillVoid(void) }) else {
            Issue.record("the payment was not voided"); return
        }
        #expect(voided.number == 2)
        #expect(voided.amount == Amount(ore: 2500))
        #expect(voided.voidID == "KIOSK-0042-A000002")
        #expect(try await scenario.store.desk { try await $0.issueTillVoid(void) } == .alreadyVoided(voided))
        #expect(try await scenario.store.desk { try await $0.issueTillVoid(NewTillVoid(tillID: till, receiptNumber: 7, staff: "anne",
                                                                                     voidedAt: later, reason: "x")) } == .noSuchPayment)
        let second = try await scenario.store.desk { try await $0.issueTillPayment(Self.taken("b")) }.payment
        #expect(second.receiptNumber == 2)
        #expect(second.number == 3)
        #expect(try await scenario.store.desk { try await $0.tillEntriesToFile(tillID: till) } == [.payment(first), .void(voided), .payment(second)])
        #expect(try await scenario.store.desk { try await $0.tillVoid(tillID: till, ofReceipt: 1) } == voided)
        let trail = try await scenario.store.lookup { try await $0.trail(subject: "till-payment", id: first.id) }
        #expect(trail.map(\.event) == ["taken", "voided"])
        #expect(trail.last?.cause.contains("voided by anne: forkert beløb") == true)
    }

    @Test("tillCloseCounts: a till's cash of a day leaves out voided and non-cash payments; a recount replaces the close in the report, both in the trail",
          arguments: TestBackend.allCases)
    func tillCloseCounts(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        let till = S.kiosk.description
        func taken(_ token: String, ore: Int, tender: String) -> NewTillPayment {
            NewTillPayment(tillID: till, formToken: token, staff: "bo", takenAt: S.day, payerDigits: S.personA, claimType: "BIBLIOTEKSGEBYR",
                           amount: Amount(ore: ore), tender: tender, reference: nil, note: nil)
        }
        try await scenario.store.desk { session in
            _ = try await session.issueTillPayment(taken("a", ore: 2500, tender: "CASH"))
            _ = try await session.issueTillPayment(taken("b", ore: 4000, tender: "CASH"))
            _ = try await session.issueTillPayment(taken("c", ore: 3000, tender: "CARD"))
            _ = try await session.issueTillVoid(NewTillVoid(tillID: till, receiptNumber: 2, staff: "bo", voidedAt: S.day, reason: "fejl"))
        }
        let day = CopenhagenTime.localDate(at: S.day)
        let (from, to) = (CopenhagenTime.startOfDay(day), CopenhagenTime.startOfDay(day.adding(days: 1)))
        #expect(try await scenario.store.desk { try await $0.tillCash(tillID: till, from: from, to: to) } == Amount(ore: 2500))
        #expect(try await scenario.store.desk { try await $0.tillCash(tillID: till, from: to, to: to.adding(seconds: 86_400)) } == .zero)
        let first = try await scenario.store.desk {
            try await $0.recordTillClose(tillID: till, date: day, counted: Amount(ore: 2000), registered: Amount(ore: 2500), staff: "bo",
                                         at: S.day.adding(seconds: 60), note: nil)
        }
        let recount = try await scenario.store.desk {
            try await $0.recordTillClose(tillID: till, date: day, counted: Amount(ore: 2500), registered: Amount(ore: 2500), staff: "anne",
                                         at: S.day.adding(seconds: 120), note: "fundet i skuffen")
        }
        #expect(first.difference == Amount(ore: -500))
        #expect(try await scenario.store.operations { try await $0.tillCloses(date: day) } == [recount])
        let trail = try await scenario.store.lookup { try await $0.trail(subject: "till-close", id: recount.id) }
        #expect(trail.first?.cause.contains("closed for 2026-11-21 by anne: counted 25,00") == true)
    }

    @Test("tillPurged: purge pseudonymises the CPR numbers of till records from before the cutoff, not a CVR number and not later ones",
          arguments: TestBackend.allCases)
    func tillPurged(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        let till = S.kiosk.description
        let company = NewTillPayment(tillID: till, formToken: "cvr", staff: "bo", takenAt: S.day, payerDigits: "29000018", claimType: "ERSTATNING",
                                     amount: Amount(ore: 1000), tender: "CARD", reference: nil, note: nil)
        let later = NewTillPayment(tillID: till, formToken: "later", staff: "bo", takenAt: S.day.adding(seconds: 2 * 86_400), payerDigits: S.personA,
                                   claimType: "BIBLIOTEKSGEBYR", amount: Amount(ore: 1000), tender: "CASH", reference: nil, note: nil)
        try await scenario.store.desk { session in
            _ = try await session.issueTillPayment(Self.taken("old"))
            _ = try await session.issueTillPayment(company)
            _ = try await session.issueTillPayment(later)
        }
        let result = try await scenario.store.purge { session in
            try await session.pseudonymise(before: S.day.adding(seconds: 86_400), pseudonym: { "P:" + String($0.reversed()) }, at: S.day)
        }
        #expect(result.tillRecords == 1)
        let payers = Self.payments(try await scenario.store.desk { try await $0.tillEntriesToFile(tillID: till) }).map(\.taken.payerDigits)
        #expect(payers == ["P:" + String(S.personA.reversed()), "29000018", S.personA])
    }
}
