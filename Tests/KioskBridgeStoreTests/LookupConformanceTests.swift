import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// What the desk, `receipt`, `report` and `status` rely on from every store.
@Suite("Store conformance: lookup and operations")
struct LookupConformanceTests {
    typealias S = StoreScenario

    @Test("A payment is found by its receipt, its transaction id, its void's id and its payer", arguments: TestBackend.allCases)
    func findPayments(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let void = VoidRecord(voidID: "V9", voidedAt: S.day, voidsTransactionID: "K2", amount: Amount(ore: 4000), reason: "fejl")
        try await scenario.bookFile(1, payments: [S.payment("K1", receipt: "B-1"), S.payment("K2", payer: S.personB, minute: 1)],
                                    voids: [(void, .booked(index: 1), .cancel)])
        #expect(try await scenario.payments("B-1").map(\.transactionID) == ["K1"])
        #expect(try await scenario.payments("K1").map(\.receipt) == ["B-1"])
        let voided = try await scenario.payments("V9")
        #expect(voided.map(\.transactionID) == ["K2"])
        #expect(voided.first?.voided?.voidID == "V9")
        #expect(voided.first?.voided?.reason == "fejl")
        #expect(try await scenario.payments("nothing", payer: S.personB).map(\.transactionID) == ["K2"])
        #expect(try await scenario.payments("nothing").isEmpty)
    }

    @Test("A search returns at most the limit, oldest first", arguments: TestBackend.allCases)
    func searchLimit(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let many = (0..<(LookupLimits.matches + 5)).map { S.payment("K\($0)", minute: $0) }
        try await scenario.bookFile(1, payments: many)
        let found = try await scenario.payments("x", payer: S.personA)
        #expect(found.count == LookupLimits.matches)
        #expect(found.first?.transactionID == "K0")
        #expect(found.last?.transactionID == "K\(LookupLimits.matches - 1)")
    }

    @Test("A payment's parts, the batch that carried them, and its history", arguments: TestBackend.allCases)
    func story(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (cycle, _) = try await scenario.allocate { payment in
            [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: Amount(ore: 1000)),
             AllocationPart(kind: .payment, claimID: "F-0", channel: .fbs, amount: Amount(ore: 3000))]
        }
        let batch = try #require(try await scenario.export(cycle: cycle))
        let payment = try #require(try await scenario.payments("K1").first)
        try await scenario.store.lookup { session in
            let parts = try await session.parts(ofPayment: payment.rowID)
            #expect(parts.map(\.part.claimID) == ["F-1", "F-0"])
            #expect(parts.allSatisfy { $0.cycleID == cycle && !$0.isReversal })
            #expect(try await session.firstBatch(carrying: parts[0])?.id == batch.id)
            #expect(try await session.firstBatch(carrying: parts[1]) == nil)
            let events = try await session.trail(subject: "payment", id: payment.rowID).map(\.event)
            #expect(events == ["booked", "allocated", "exported"])
        }
    }

    @Test("Open claims payable in FBS, outstanding only, oldest first", arguments: TestBackend.allCases)
    func openClaims(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let payer = Payer(storedDigits: S.personA)!
        func claim(_ id: String, _ created: String, _ due: String?, ore: Int, in channel: PaymentChannel) -> SnapshotClaim {
            SnapshotClaim(claim: Claim(id: id, payer: payer, claimType: "ERSTATNING", createdOn: LocalDate(iso: created)!,
                                       dueOn: due.flatMap { LocalDate(iso: $0) }, originalAmount: Amount(ore: 30000), outstanding: Amount(ore: ore),
                                       payableIn: channel, source: .debtor), line: 2)
        }
        try await scenario.store.claims { session in
            try await session.beginReplacing(ClaimsSnapshotHeader(source: .debtor, asOf: S.day))
            try await session.insertClaims([claim("C", "2026-06-10", nil, ore: 100, in: .fbs), claim("B", "2026-06-10", "2026-07-01", ore: 100, in: .fbs),
                                            claim("A", "2026-06-11", nil, ore: 100, in: .fbs), claim("Z", "2026-01-01", nil, ore: 0, in: .fbs),
                                            claim("D", "2026-01-01", nil, ore: 100, in: .debtor)])
            _ = try await session.finishReplacing(StoredSnapshot(source: .debtor, asOf: S.day, loadedAt: S.day, fileName: "s.csv", claims: 5,
                                                                 outstanding: Amount(ore: 400), appliedRecords: 0), sha256: "s", at: S.day)
        }
        let open = try await scenario.store.lookup { try await $0.openClaims(payerDigits: S.personA, payableIn: .fbs) }
        #expect(open.map(\.id) == ["B", "C", "A"])
    }

    @Test("A read-only session sees one state of the database, even while another session commits", arguments: TestBackend.allCases)
    func consistentRead(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (first, second) = try await scenario.store.operations { session in
            let first = try await session.runningTotals().paymentsBooked
            try await scenario.bookFile(2, payments: [S.payment("K2")])
            return (first, try await session.runningTotals().paymentsBooked)
        }
        #expect(first == 1)
        #expect(second == 1)
        #expect(try await scenario.store.operations { try await $0.runningTotals().paymentsBooked } == 2)
    }

    @Test("A day's closing goes on from the last one's mark and sums what a count of every payment would, late files included",
          arguments: TestBackend.allCases)
    func closingFromTheMark(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let kiosk = S.kiosk.value
        let firstCutoff = S.day.adding(seconds: 10 * 3600)
        let secondCutoff = firstCutoff.adding(seconds: 24 * 3600)
        // Taken before the first cutoff, and after it but booked before the first closing.
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 1000), S.payment("K2", ore: 2000, minute: 11 * 60)])
        let first = try await scenario.store.operations { try await $0.receivedTally(before: firstCutoff, continuing: nil) }
        #expect(first.payments == [kiosk: Amount(ore: 1000)])
        let mark = PaymentsMark(before: firstCutoff, throughPayment: first.throughPayment, received: first.payments)
        // After the first closing: a late file with a payment taken before its cutoff, one
        // taken between the cutoffs, one after the second.
        try await scenario.bookFile(2, payments: [S.payment("K3", ore: 400), S.payment("K4", ore: 800, minute: 12 * 60),
                                                  S.payment("K5", ore: 1600, minute: 40 * 60)])
        let (continued, counted) = try await scenario.store.operations { session in
            (try await session.receivedTally(before: secondCutoff, continuing: mark),
             try await session.receivedTally(before: secondCutoff, continuing: nil))
        }
        #expect(continued == counted)
        #expect(continued.payments == [kiosk: Amount(ore: 1000 + 2000 + 400 + 800)])
        #expect(continued.throughPayment > first.throughPayment)

        let dates = [LocalDate(iso: "2026-11-19")!, LocalDate(iso: "2026-11-20")!]
        try await scenario.store.recordOperations { recorder in
            for date in dates {
                try await recorder.recordDayClosing(DayClosing(kioskID: kiosk, date: date, cumulativeReceived: Amount(ore: 3000),
                                                               recordedAt: S.day, paymentsReceived: Amount(ore: 2500), throughPayment: 7))
            }
        }
        let latest = try await scenario.store.operations { try await $0.latestDayClosings(before: LocalDate(iso: "2026-11-22")!) }
        #expect(latest.map(\.date) == [dates[1]])
        #expect(latest.first?.paymentsReceived == Amount(ore: 2500))
        #expect(latest.first?.throughPayment == 7)
        #expect(try await scenario.store.operations { try await $0.latestDayClosings(before: dates[0]) }.isEmpty)
    }

    @Test("Day closings are kept once, the alert level is kept, and sequence gaps are found", arguments: TestBackend.allCases)
    func operations(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        try await scenario.bookFile(4, payments: [S.payment("K2")])
        let date = LocalDate(iso: "2026-11-20")!
        try await scenario.store.recordOperations { recorder in
            try await recorder.recordDayClosing(DayClosing(kioskID: "KIOSK-0042", date: date, cumulativeReceived: Amount(ore: 100), recordedAt: S.day))
            try await recorder.recordDayClosing(DayClosing(kioskID: "KIOSK-0042", date: date, cumulativeReceived: Amount(ore: 999), recordedAt: S.day))
            try await recorder.setAlertState(AlertState(level: "warning", changedAt: S.day, summary: "WARNING: something"))
        }
        try await scenario.store.operations { session async throws in
            #expect(try await session.dayClosings(date: date).map(\.cumulativeReceived) == [Amount(ore: 100)])
            #expect(try await session.alertState()?.level == "warning")
            #expect(try await session.sequenceGaps() == [SequenceGap(kioskID: "KIOSK-0042", missing: 2...3)])
            let totals = try await session.runningTotals()
            #expect(totals.paymentsBooked == 2)
            #expect(totals.paymentsBookedSum == Amount(ore: 8000))
            #expect(totals.filesAccepted == 2)
            let day = try await session.dayPayments(from: S.day.adding(seconds: -3600), to: S.day.adding(seconds: 3600))
            #expect(day.map(\.transactionID) == ["K1", "K2"])
            #expect(day.allSatisfy { !$0.exported })
        }
    }
}
