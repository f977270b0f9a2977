import Testing
@testable import KioskBridgeCore

/// `[intake]`: what a well-formed payment, void, file or snapshot may still not say. Each
/// rule is tried on both sides of its limit.
@Suite("Plausibility: [intake] clock_skew_minutes, max_age_days, max_amount")
struct PlausibilityRulesTests {
    static let created = instant("2026-11-23T14:15:00+01:00")
    static let payer = Payer.company(try! CVRNumber(parsing: "29000018"))
    let file = PlausibilityRules().forFile(createdAt: created)

    func payment(paidAt: String, ore: Int = 4000) -> PaymentRecord {
        PaymentRecord(transactionID: "K42-1", paidAt: instant(paidAt), payer: Self.payer, claimType: "BIBLIOTEKSGEBYR",
                      amount: Amount(ore: ore), tender: .cash, receipt: "B-1", operatorID: nil)
    }

    func void(voidedAt: String) -> VoidRecord {
        VoidRecord(voidID: "K42-2", voidedAt: instant(voidedAt), voidsTransactionID: "K42-1", amount: Amount(ore: 4000), reason: nil)
    }

    @Test("Paid at: no later than the file's created at plus clock_skew_minutes (10)", arguments: [
        ("2026-11-23T14:25:00+01:00", true), ("2026-11-23T14:25:01+01:00", false), ("2099-11-23T14:02:11+01:00", false),
    ])
    func paidAtLatest(paidAt: String, plausible: Bool) {
        let problem = file.check(payment(paidAt: paidAt), line: 2)
        #expect((problem == nil) == plausible)
        if let problem {
            #expect(problem.code == .implausibleTime)
            #expect(problem.field == RecordField.Payment.paidAt)
            #expect(problem.description.contains("[intake] clock_skew_minutes = 10"))
            #expect(problem.description.contains("2026-11-23T14:15:00+01:00"))
        }
    }

    @Test("Paid at: no earlier than max_age_days (60) before the file's created at", arguments: [
        ("2026-09-24T15:15:00+02:00", true), ("2026-09-24T15:14:59+02:00", false), ("1901-01-01T12:00:00+01:00", false),
    ])
    func paidAtEarliest(paidAt: String, plausible: Bool) {
        let problem = file.check(payment(paidAt: paidAt), line: 2)
        #expect((problem == nil) == plausible)
        if let problem {
            #expect(problem.code == .implausibleTime)
            #expect(problem.description.contains("[intake] max_age_days = 60"))
        }
    }

    @Test("Amount: at most max_amount (50.000,00 kr.)", arguments: [(5_000_000, true), (5_000_001, false), (999_999_999_999, false)])
    func amount(ore: Int, plausible: Bool) {
        let problem = file.check(payment(paidAt: "2026-11-23T14:02:11+01:00", ore: ore), line: 2)
        #expect((problem == nil) == plausible)
        if let problem {
            #expect(problem.code == .implausibleAmount)
            #expect(problem.field == RecordField.Payment.amount)
            #expect(problem.description.contains("at most [intake] max_amount = 50.000,00 kr."))
        }
    }

    @Test("Voided at: the same two limits as paid at", arguments: [
        ("2026-11-23T14:25:00+01:00", true), ("2026-11-23T14:25:01+01:00", false),
        ("2026-09-24T15:15:00+02:00", true), ("2026-09-24T15:14:59+02:00", false),
    ])
    func voidedAt(voidedAt: String, plausible: Bool) {
        let problem = file.check(void(voidedAt: voidedAt), line: 3)
        #expect((problem == nil) == plausible)
        #expect(problem.map { $0.field == RecordField.Void.voidedAt && $0.code == .implausibleTime } ?? true)
    }

    @Test("Configured limits replace the defaults")
    func configured() {
        let rules = PlausibilityRules(clockSkewMinutes: 0, maxAgeDays: 1, maxAmount: Amount(ore: 100_00)).forFile(createdAt: Self.created)
        #expect(rules.check(payment(paidAt: "2026-11-23T14:15:00+01:00", ore: 100_00), line: 2) == nil)
        #expect(rules.check(payment(paidAt: "2026-11-23T14:15:01+01:00"), line: 2)?.description.contains("clock_skew_minutes = 0") == true)
        #expect(rules.check(payment(paidAt: "2026-11-22T14:14:59+01:00"), line: 2)?.description.contains("max_age_days = 1") == true)
        #expect(rules.check(payment(paidAt: "2026-11-23T14:00:00+01:00", ore: 100_01), line: 2)?.code == .implausibleAmount)
    }

    @Test("A file's created at and a snapshot's as of: no later than now plus clock_skew_minutes", arguments: [
        ("2026-11-23T14:30:00+01:00", true), ("2026-11-23T14:30:01+01:00", false),
    ])
    func headersAgainstNow(time: String, plausible: Bool) {
        let now = instant("2026-11-23T14:20:00+01:00")
        let rules = PlausibilityRules()
        let file = rules.checkCreatedAt(instant(time), now: now, line: 1, xml: false)
        let snapshot = rules.checkAsOf(instant(time), now: now, line: 1)
        #expect((file == nil) == plausible)
        #expect((snapshot == nil) == plausible)
        #expect(file.map { $0.field == RecordField.Header.createdAt && $0.code == .implausibleCreatedAt } ?? true)
        #expect(snapshot.map { $0.field == RecordField.Snapshot.asOf && $0.description.contains("clock_skew_minutes = 10") } ?? true)
    }
}
