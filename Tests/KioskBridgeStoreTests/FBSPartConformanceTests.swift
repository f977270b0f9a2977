import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// The `fbs` mode's parts on old fees (FBSPartSchema): what every store keeps of the
/// intents, the tries and FBS's answers, and how such parts stay out of the worklist until
/// they are handed over.
@Suite("Store conformance: parts on old fees registered in FBS")
struct FBSPartConformanceTests {
    typealias S = StoreScenario

    /// K1 (40,00) pays fee 5001 (15,00) in full, to be registered, and fee 5002 (25,00 of
    /// 30,00) partly, on the worklist from the start.
    static func allocatedDay(_ backend: TestBackend) async throws -> (scenario: StoreScenario, cycle: RowID, payment: RowID) {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 4000)])
        let (cycle, _) = try await scenario.allocate(parts: { _ in [
            AllocationPart(kind: .payment, claimID: "5001", channel: .fbs, amount: Amount(ore: 1500)),
            AllocationPart(kind: .payment, claimID: "5002", channel: .fbs, amount: Amount(ore: 2500)),
        ] }, plans: { _ in [1: .register(feeAmount: Amount(ore: 1500)),
                            2: .worklist(feeAmount: Amount(ore: 3000), reason: "pays 25,00 of the fee's 30,00")] })
        let payment = try #require(try await scenario.payments("K1").first?.rowID)
        return (scenario, cycle, payment)
    }

    /// ``allocatedDay(_:)`` with its worklist exported, and FBS's answer `state` on the part
    /// paying fee 5001, 40 minutes later.
    static func answeredDay(_ backend: TestBackend, _ state: FBSPartState, reason: String) async throws
        -> (scenario: StoreScenario, cycle: RowID, payment: RowID, key: FBSPartKey, later: Instant) {
        let day = try await allocatedDay(backend)
        try #require(try await day.scenario.export(S.worklist, cycle: day.cycle))
        let key = FBSPartKey(payment: day.payment, position: 1)
        let later = S.day.adding(seconds: 2400)
        try await day.scenario.store.cycle { session in
            try await session.recordFBSOutcomes([FBSPartOutcome(key: key, state: state, confirmationID: nil, reason: reason)], at: later)
        }
        return (day.scenario, day.cycle, day.payment, key, later)
    }

    static func fbsStates(_ scenario: StoreScenario, _ payment: RowID) async throws -> [String: FBSPartStatus] {
        let parts = try await scenario.store.lookup { try await $0.parts(ofPayment: payment) }
        return Dictionary(parts.filter { !$0.isReversal }.compactMap { stored in stored.fbs.map { (stored.part.claimID ?? "", $0) } },
                          uniquingKeysWith: { first, _ in first })
    }

    @Test("fbsWaitingPartHeldBack: a part waiting for FBS is in no worklist batch; the partial one is, with the batch's count and sum",
          arguments: TestBackend.allCases)
    func fbsWaitingPartHeldBack(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 4000), S.payment("K2", payer: "12345674", ore: 1000, minute: 1)])
        let payers = try await scenario.store.cycle { try await $0.pendingCPRPayers() }
        #expect(payers == [S.personA])

        let day = try await Self.allocatedDay(backend)
        let batch = try #require(try await day.scenario.export(S.worklist, cycle: day.cycle))
        #expect(batch.info.lineCount == 1)
        #expect(batch.info.sum == Amount(ore: 2500))
        let lines = try await day.scenario.lines(of: batch)
        #expect(lines.map(\.claimID) == ["5002"])

        let waiting = try await day.scenario.store.cycle { try await $0.waitingFBSParts() }
        #expect(waiting.count == 1)
        #expect(waiting.first?.feeID == "5001")
        #expect(waiting.first?.orderID == "kb-KIOSK-0042-K1")
        #expect(waiting.first?.tries == 0)
        #expect(waiting.first?.payer == S.personA)
        #expect(waiting.first?.feeAmount == Amount(ore: 1500))
        let states = try await Self.fbsStates(day.scenario, day.payment)
        #expect(states["5001"]?.state == .waiting)
        #expect(states["5002"]?.state == .worklist)
    }

    @Test("fbsAnswerRecordedOnce: a try is counted before the call, the answer is kept with its trail row, and a second answer is ignored",
          arguments: TestBackend.allCases)
    func fbsAnswerRecordedOnce(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let day = try await Self.allocatedDay(backend)
        let key = FBSPartKey(payment: day.payment, position: 1)
        let at = S.day.adding(seconds: 1260)
        try await day.scenario.store.cycle { try await $0.markFBSTried([key], at: at) }
        #expect(try await day.scenario.store.cycle { try await $0.waitingFBSParts() }.first?.tries == 1)
        try await day.scenario.store.cycle { session in
            try await session.recordFBSOutcomes([FBSPartOutcome(key: key, state: .registered, confirmationID: "C-77", reason: nil)], at: at)
        }
        try await day.scenario.store.cycle { session in
            try await session.recordFBSOutcomes([FBSPartOutcome(key: key, state: .refund, confirmationID: nil, reason: "late")], at: at)
        }
        #expect(try await day.scenario.store.cycle { try await $0.waitingFBSParts() }.isEmpty)
        let states = try await Self.fbsStates(day.scenario, day.payment)
        #expect(states["5001"] == FBSPartStatus(state: .registered, confirmationID: "C-77", reason: nil))
        let trail = try await day.scenario.store.lookup { try await $0.trail(subject: "payment", id: day.payment) }
        #expect(trail.filter { $0.event == "fbs-registered" }.count == 1)
        #expect(trail.contains { $0.cause.contains("C-77") })
        #expect(!trail.contains { $0.event == "fbs-refund" })
    }

    @Test("fbsHandOverIntoWorklistRun: a refund joins the next cycle's worklist run once; the fees' open parts are found",
          arguments: TestBackend.allCases)
    func fbsHandOverIntoWorklistRun(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let day = try await Self.answeredDay(backend, .refund, reason: "paid online")
        let (key, later) = (day.key, day.later)
        let open = try await day.scenario.store.cycle { try await $0.unreflectedFBSParts(feeIDs: ["5001", "5002"]) }
        #expect(open.map(\.feeID) == ["5002"])
        let (cycle, handed) = try await day.scenario.store.cycle { session in
            let cycle = try await session.startCycle(at: later, command: "cycle")
            let handed = try await session.handOverFBSParts(cycleID: cycle, at: later, givingUpBefore: S.day, reason: "given up")
            try await session.finishAllocation(cycleID: cycle, at: later)
            return (cycle, handed)
        }
        #expect(handed == 1)
        let batch = try #require(try await day.scenario.export(S.worklist, cycle: cycle, at: later))
        #expect(try await day.scenario.lines(of: batch).map(\.claimID) == ["5001"])
        #expect(batch.info.sum == Amount(ore: 1500))
        let again = try await day.scenario.store.cycle { session in
            try await session.handOverFBSParts(cycleID: cycle, at: later, givingUpBefore: S.day, reason: "given up")
        }
        #expect(again == 0)
    }

    @Test("fbsGiveUpAfterHours: a part still waiting from before the limit goes to the worklist with the reason", arguments: TestBackend.allCases)
    func fbsGiveUpAfterHours(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let day = try await Self.allocatedDay(backend)
        let later = S.day.adding(seconds: 90_000)
        let handed = try await day.scenario.store.cycle { session in
            let cycle = try await session.startCycle(at: later, command: "cycle")
            return try await session.handOverFBSParts(cycleID: cycle, at: later, givingUpBefore: S.day.adding(seconds: 3600),
                                                      reason: "not registered within 24 hours")
        }
        #expect(handed == 1)
        let states = try await Self.fbsStates(day.scenario, day.payment)
        #expect(states["5001"]?.state == .worklist)
        #expect(states["5001"]?.reason == "not registered within 24 hours")
    }

    @Test("fbsVoidCancelsUnsentPart: a void reverses the partial part on the worklist, and cancels the part never sent to FBS with its reversal",
          arguments: TestBackend.allCases)
    func fbsVoidCancelsUnsentPart(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let day = try await Self.allocatedDay(backend)
        try #require(try await day.scenario.export(S.worklist, cycle: day.cycle))
        let void = VoidRecord(voidID: "V1", voidedAt: S.day.adding(seconds: 1500), voidsTransactionID: "K1", amount: Amount(ore: 4000),
                              reason: nil)
        try await day.scenario.bookFile(2, payments: [], voids: [(void, .stored(day.payment), .reversal)])
        let later = S.day.adding(seconds: 2400)
        let (cycle, _) = try await day.scenario.allocate(at: later)
        let batch = try #require(try await day.scenario.export(S.worklist, cycle: cycle, at: later))
        let lines = try await day.scenario.lines(of: batch)
        #expect(lines.map(\.claimID) == ["5002"])
        #expect(lines.map(\.amount) == [Amount(ore: -2500)])
        #expect(batch.info.sum == Amount(ore: -2500))
        #expect(try await Self.fbsStates(day.scenario, day.payment)["5001"]?.state == .cancelled)
        #expect(try await day.scenario.store.cycle { try await $0.waitingFBSParts() }.isEmpty)
    }

    @Test("fbsReleasedAllocatedAgain: a part FBS would not take comes back once as a pending payment after the payment's parts; the part and its negative stay out of every export",
          arguments: TestBackend.allCases)
    func fbsReleasedAllocatedAgain(backend: TestBackend) async throws {
        try backend.requireAvailable()
        let day = try await Self.answeredDay(backend, .released, reason: "not allowed")
        let (key, later) = (day.key, day.later)
        #expect(try await day.scenario.store.cycle { try await $0.pendingCPRPayers() } == [S.personA])
        let (cycle, groups) = try await day.scenario.allocate(at: later, parts: { payment in
            [AllocationPart(kind: .reversal, claimID: "5001", channel: .fbs, amount: -payment.amount),
             AllocationPart(kind: .payment, claimID: "F-1001", channel: .debtor, amount: payment.amount)]
        }, plans: { _ in [1: FBSPartPlan(state: .released, feeAmount: nil, reason: "allocated again")] })
        let pending = groups.flatMap(\.payments)
        #expect(pending.count == 1)
        #expect(pending.first?.amount == Amount(ore: 1500))
        #expect(pending.first?.firstPosition == 3)
        #expect(pending.first?.reallocating == [ReleasedFBSPart(key: key, feeID: "5001", amount: Amount(ore: 1500))])

        let parts = try await day.scenario.store.lookup { try await $0.parts(ofPayment: day.payment) }
        #expect(parts.map(\.part.amount.ore) == [1500, 2500, -1500, 1500])
        #expect(parts.map { $0.fbs?.state } == [.released, .worklist, .released, nil])
        let debtor = try #require(try await day.scenario.export(cycle: cycle, at: later))
        #expect(try await day.scenario.lines(of: debtor).map(\.claimID) == ["F-1001"])
        #expect(try await day.scenario.export(S.worklist, cycle: cycle, at: later) == nil)
        // Taken once: the next pass finds nothing to allocate again.
        let (_, next) = try await day.scenario.allocate(at: S.day.adding(seconds: 3600))
        #expect(next.isEmpty)
        let trail = try await day.scenario.store.lookup { try await $0.trail(subject: "payment", id: day.payment) }
        #expect(trail.filter { $0.event == "fbs-reallocated" }.count == 1)
    }
}
