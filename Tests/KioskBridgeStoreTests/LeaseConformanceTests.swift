import Foundation
import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// The lease and its fencing (hosting.md, "Several bridges, one database"), on every store.
@Suite("Store conformance: the lease and fencing")
struct LeaseConformanceTests {
    typealias S = StoreScenario

    static let first = LeaseCandidate(holder: "server-a:100:x", host: "server-a", pid: 100)
    static let second = LeaseCandidate(holder: "server-b:200:y", host: "server-b", pid: 200)

    func acquire(_ store: any BridgeStore, _ candidate: LeaseCandidate, seconds: Int = 60) async throws -> Lease? {
        try await store.lease { try await $0.acquire(candidate, seconds: seconds) }
    }

    @Test("One holder at a time; renewing keeps the token; a standby is noted; after a release the next holder gets a larger token",
          arguments: TestBackend.allCases)
    func oneHolder(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let other = try await scenario.testStore.anotherHandle()
        let lease = try #require(try await acquire(scenario.store, Self.first))
        #expect(try await acquire(scenario.store, Self.first)?.token == lease.token)
        #expect(try await acquire(other, Self.second) == nil)
        let state = try await scenario.store.operations { try await $0.leaseState() }
        #expect(state.isHeld)
        #expect(state.current?.host == "server-a")
        #expect(state.current?.pid == 100)
        #expect(state.standbys.map(\.host) == ["server-b"])
        try await scenario.store.lease { try await $0.release(lease) }
        let next = try #require(try await acquire(other, Self.second))
        #expect(next.token > lease.token)
        let after = try await other.operations { try await $0.leaseState() }
        #expect(after.takeovers == 0)
        await other.close()
    }

    @Test("A stale token's booking, allocation and publication are refused inside the store, and nothing of them is written",
          arguments: TestBackend.allCases)
    func staleTokenIsFenced(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let other = try await scenario.testStore.anotherHandle()
        let old = try #require(try await acquire(scenario.store, Self.first))
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let stale = scenario.store.fenced(by: old.token)
        try await stale.lease { try await $0.release(old) }
        let new = try #require(try await acquire(other, Self.second))
        // Booking.
        await #expect { try await stale.intake { session in
            _ = try await session.recordFile(NewFileRecord(name: "x.csv", processingName: "x.csv", sha256: "sha-x", size: 1, format: "csv",
                                                           encoding: "utf-8", header: nil, receivedAt: S.day, verdict: .rejected), cause: "x")
        } } throws: { ($0 as? StoreError)?.code == .fenced }
        #expect(try await scenario.store.intake { try await $0.fileAwaitingMove(sha256: "sha-x", processingName: "x.csv") } == nil)
        // Allocation.
        await #expect { try await stale.cycle { session in
            let cycle = try await session.startCycle(at: S.day, command: "cycle")
            let rounds = try await session.pendingPayments(payersPerRound: 10, paymentsPerRound: 1000, paymentsPerCycle: 1_000_000)
            while let round = try await rounds.next() {
                try await session.recordAllocations(round.flatMap(\.payments).map {
                    PaymentAllocation(payment: $0, parts: [AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: $0.amount)])
                }, cycleID: cycle, at: S.day)
            }
            try await session.finishAllocation(cycleID: cycle, at: S.day)
        } } throws: { ($0 as? StoreError)?.code == .fenced }
        // The new holder allocates and prepares; the old one cannot publish it.
        let fresh = other.fenced(by: new.token)
        let cycle = try await fresh.cycle { session in
            let cycle = try await session.startCycle(at: S.day, command: "cycle")
            let rounds = try await session.pendingPayments(payersPerRound: 10, paymentsPerRound: 1000, paymentsPerCycle: 1_000_000)
            var allocated = 0
            while let round = try await rounds.next() {
                let allocations = round.flatMap(\.payments).map {
                    PaymentAllocation(payment: $0, parts: [AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: $0.amount)])
                }
                allocated += allocations.count
                try await session.recordAllocations(allocations, cycleID: cycle, at: S.day)
            }
            try await session.finishAllocation(cycleID: cycle, at: S.day)
            #expect(allocated == 1)
            return cycle
        }
        let batch = try #require(try await fresh.cycle { session in
            try await session.registerSeries(S.debtor, at: S.day)
            return try await session.prepareBatch(series: S.debtor, createdAt: S.day, cycleID: cycle, includeEmpty: false)
        })
        await #expect { try await stale.cycle { session in
            try await session.markPublished(batch: batch, sha256: "s", outboxPath: "/o", archivePath: "/a", at: S.day, cycleID: cycle, anchor: nil)
        } } throws: { ($0 as? StoreError)?.code == .fenced }
        #expect(try await scenario.store.cycle { try await $0.preparedBatches() }.map(\.id) == [batch.id])
        await other.close()
    }

    @Test("A holder whose process has ended is taken over at once: a larger token, the takeover counted and shown",
          arguments: TestBackend.allCases)
    func takeoverOfAnEndedHolder(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let holder = try await scenario.testStore.anotherHandle()
        let standby = try await scenario.testStore.anotherHandle()
        let old = try #require(try await acquire(holder, Self.first, seconds: 60))
        #expect(try await acquire(standby, Self.second) == nil)
        // The holder ends without giving the lease up (killed): its lock file's lock (SQLite)
        // or its connections (PostgreSQL) go with it, long before its lease would lapse.
        await holder.close()
        let new = try #require(try await acquire(standby, Self.second))
        #expect(new.token > old.token)
        let state = try await standby.operations { try await $0.leaseState() }
        #expect(state.current?.host == "server-b")
        #expect(state.takeovers == 1)
        #expect(state.lastTakeover != nil)
        let trail = try await standby.lookup { try await $0.trail(subject: "lease", id: new.token) }
        #expect(trail.map(\.event) == ["taken-over"])
        #expect(trail.first?.cause.contains("server-a pid 100") == true)
        await standby.close()
    }

    /// On SQLite a holder that is alive keeps the lock file's lock: there is no second
    /// server to take over, and the lease is never taken from a living process.
    @Test("PostgreSQL: a holder that is alive but stops renewing (paused, cut off) is taken over once its lease has lapsed")
    func takeoverAfterTheLeaseLapsed() async throws {
        let scenario = try await S.make(.postgres)
        let holder = try await scenario.testStore.anotherHandle()
        let standby = try await scenario.testStore.anotherHandle()
        // A lease of a few seconds: long enough for the standby's first try to find it held on
        // a loaded machine.
        let old = try #require(try await acquire(holder, Self.first, seconds: 3))
        #expect(try await acquire(standby, Self.second, seconds: 3) == nil)
        try await Task.sleep(for: .milliseconds(3500))
        let new = try #require(try await acquire(standby, Self.second))
        #expect(new.token > old.token)
        #expect(try await standby.operations { try await $0.leaseState() }.takeovers == 1)
        await holder.close()
        await standby.close()
    }
}
