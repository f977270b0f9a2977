import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// The debtor's confirmations: what every store keeps of which DEBTOR snapshot first
/// reflected each export (allocation.md's "reflected" rule).
@Suite("Store conformance: debtor confirmations")
struct ConfirmationConformanceTests {
    typealias S = StoreScenario

    /// Loads a snapshot of `source` with no claims, listing `applied` in its P records.
    @discardableResult
    static func load(_ scenario: StoreScenario, _ source: ClaimSource = .debtor, asOf: Instant, applied: [String] = [],
                     file: String) async throws -> ConfirmationTally {
        try await scenario.store.claims { session in
            try await session.beginReplacing(ClaimsSnapshotHeader(source: source, asOf: asOf))
            try await session.insertApplied(applied.map { AppliedTransaction(kioskID: S.kiosk, transactionID: $0) }, source: source)
            let snapshot = StoredSnapshot(source: source, asOf: asOf, loadedAt: asOf.adding(seconds: 60), fileName: file, claims: 0,
                                          outstanding: .zero, appliedRecords: applied.count)
            _ = try await session.finishReplacing(snapshot, sha256: file, at: asOf.adding(seconds: 60))
            return try await session.confirmExports(by: snapshot, at: asOf.adding(seconds: 60))
        }
    }

    /// K1 4000, K2 2500 and K3 1000 exported at 14:20; K3 voided and its reversal exported at 14:40.
    static func exportedDay(_ backend: TestBackend) async throws -> (scenario: StoreScenario, rows: [String: RowID]) {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 4000), S.payment("K2", ore: 2500, minute: 1),
                                                  S.payment("K3", ore: 1000, minute: 2)])
        let (first, _) = try await scenario.allocate()
        try await scenario.export(cycle: first)
        let known = try await scenario.store.intake { try await $0.knownTransactions(kioskID: S.kiosk, ids: ["K1", "K2", "K3"]) }
        var rows: [String: RowID] = [:]
        for id in ["K1", "K2", "K3"] { rows[id] = try #require(known[id]?.payment?.rowID) }
        let void = VoidRecord(voidID: "V3", voidedAt: S.day.adding(seconds: 1500), voidsTransactionID: "K3", amount: Amount(ore: 1000),
                              reason: nil)
        try await scenario.bookFile(2, payments: [], voids: [(void, .stored(rows["K3"] ?? 0), .reversal)])
        let later = S.day.adding(seconds: 2400)
        let cycle = try await scenario.store.cycle { session in
            let cycle = try await session.startCycle(at: later, command: "cycle")
            _ = try await session.createPendingReversals(cycleID: cycle, at: later)
            try await session.finishAllocation(cycleID: cycle, at: later)
            return cycle
        }
        try await scenario.export(cycle: cycle, at: later)
        return (scenario, rows)
    }

    @Test("debtorConfirmedWhenListed: a snapshot with P records confirms exactly the payments and voids it lists, once",
          arguments: TestBackend.allCases)
    func debtorConfirmedWhenListed(_ backend: TestBackend) async throws {
        let (scenario, rows) = try await Self.exportedDay(backend)
        let listedAsOf = S.day.adding(seconds: 7200)
        // K2 is listed, and so is a transaction the bridge never exported: only K2 counts.
        let first = try await Self.load(scenario, asOf: listedAsOf, applied: ["K2", "K-ELSEWHERE"], file: "debtor-1.csv")
        #expect(first == ConfirmationTally(payments: 1, reversals: 0, sum: Amount(ore: 2500)))
        // The next snapshot lists K2 again, K3 and its void: K2 keeps its first confirmation.
        let second = try await Self.load(scenario, asOf: listedAsOf.adding(seconds: 3600), applied: ["K2", "K3", "V3"], file: "debtor-2.csv")
        #expect(second == ConfirmationTally(payments: 1, reversals: 1, sum: .zero))
        let (k1, k2, k3) = try await scenario.store.lookup { session in
            (try await session.confirmations(ofPayment: rows["K1"] ?? 0), try await session.confirmations(ofPayment: rows["K2"] ?? 0),
             try await session.confirmations(ofPayment: rows["K3"] ?? 0))
        }
        #expect(k1 == PaymentConfirmations(payment: nil, reversal: nil))
        #expect(k2.payment == DebtorConfirmation(asOf: listedAsOf, loadedAt: listedAsOf.adding(seconds: 60), snapshotFile: "debtor-1.csv"))
        #expect(k3.payment?.snapshotFile == "debtor-2.csv")
        #expect(k3.reversal?.snapshotFile == "debtor-2.csv")
        let trail = try await scenario.store.lookup { try await $0.trail(subject: "payment", id: rows["K2"] ?? 0) }
        #expect(trail.contains { $0.event == "confirmed" && $0.cause.contains("debtor-1.csv") && $0.cause.contains("P records") })
    }

    @Test("debtorConfirmedBeforeAsOf: without P records, what was exported before the as-of time is confirmed; an FBS snapshot confirms nothing",
          arguments: TestBackend.allCases)
    func debtorConfirmedBeforeAsOf(_ backend: TestBackend) async throws {
        let (scenario, rows) = try await Self.exportedDay(backend)
        #expect(try await Self.load(scenario, .fbs, asOf: S.day.adding(seconds: 86_400), file: "fbs.csv") == ConfirmationTally())
        // Between the two exports (14:20 and 14:40): the payments, not the reversal.
        let between = try await Self.load(scenario, asOf: S.day.adding(seconds: 1800), file: "debtor-1.csv")
        #expect(between == ConfirmationTally(payments: 3, reversals: 0, sum: Amount(ore: 7500)))
        let overdue = try await scenario.store.operations { try await $0.overdueConfirmations(exportedBefore: S.day.adding(seconds: 86_400)) }
        #expect(overdue.count == 1)
        #expect(overdue.sum == Amount(ore: -1000))
        #expect(overdue.oldest == UnconfirmedExport(isReversal: true, kioskID: S.kiosk.value, transactionID: "V3", receipt: "B-K3",
                                                   takenAt: S.day.adding(seconds: 1500), exportedAt: S.day.adding(seconds: 2400),
                                                   amount: Amount(ore: -1000)))
        let none = try await scenario.store.operations { try await $0.overdueConfirmations(exportedBefore: S.day.adding(seconds: 2400)) }
        #expect(none == .none)
        let after = try await Self.load(scenario, asOf: S.day.adding(seconds: 3600), file: "debtor-2.csv")
        #expect(after == ConfirmationTally(payments: 0, reversals: 1, sum: Amount(ore: -1000)))
        let k3 = try await scenario.store.lookup { try await $0.confirmations(ofPayment: rows["K3"] ?? 0) }
        #expect(k3.payment?.snapshotFile == "debtor-1.csv")
        #expect(k3.reversal?.snapshotFile == "debtor-2.csv")
    }

    @Test("A day's exports per kiosk, confirmed and not, and the unconfirmed ones listed oldest export first", arguments: TestBackend.allCases)
    func debtorConfirmationsOfADay(_ backend: TestBackend) async throws {
        let (scenario, _) = try await Self.exportedDay(backend)
        try await Self.load(scenario, asOf: S.day.adding(seconds: 7200), applied: ["K1"], file: "debtor-1.csv")
        let from = S.day.adding(seconds: -14 * 3600), to = S.day.adding(seconds: 10 * 3600)
        let (shares, unconfirmed, limited, otherDay) = try await scenario.store.operations { session in
            (try await session.confirmedShares(from: from, to: to), try await session.unconfirmedExports(from: from, to: to, limit: 10),
             try await session.unconfirmedExports(from: from, to: to, limit: 1),
             try await session.confirmedShares(from: to, to: to.adding(seconds: 86_400)))
        }
        #expect(shares == [ConfirmedShare(kioskID: S.kiosk.value, exportedCount: 4, exported: Amount(ore: 6500), confirmedCount: 1,
                                          confirmed: Amount(ore: 4000))])
        #expect(unconfirmed.map(\.transactionID) == ["K2", "K3", "V3"])
        #expect(limited.map(\.transactionID) == ["K2"])
        #expect(otherDay.isEmpty)
    }
}
