import Foundation
import KioskBridgeCore
@testable import KioskBridgeRuntime
import KioskBridgeStore
import StoreTestSupport
import Testing

/// hosting.md, "Several bridges, one database": a one-shot run stopped (SIGSTOP, a frozen
/// virtual machine) while it was taking the lease, past the lease, finds its transaction
/// ended by the server when it goes on. What it does then depends on who holds the lease
/// now, never on the broken connection.
@Suite("The lease keeper after a stall")
struct LeaseKeeperTests {
    static let other = LeaseCandidate(holder: "server-b:200:y", host: "server-b", pid: 200)

    @Test("stalledWhileTakingTheLease: the lease free again is taken and the run goes on; the lease held elsewhere is exit 75",
          arguments: TestBackend.allCases)
    func stalledWhileTakingTheLease(_ backend: TestBackend) async throws {
        let fixture = try await RuntimeFixture.make(backend)
        let stalled = StalledLeaseStore(fixture.store)
        let worked = try await LeaseKeeper(store: stalled, seconds: 60).whileHolding(longest: .seconds(60)) { _ in "worked" }
        #expect(worked == "worked")
        #expect(stalled.hasRefused)

        let elsewhere = try await fixture.testStore.anotherHandle()
        let held = try #require(try await elsewhere.lease { try await $0.acquire(Self.other, seconds: 60) })
        let refusedOnce = StalledLeaseStore(fixture.store)
        await #expect {
            _ = try await LeaseKeeper(store: refusedOnce, seconds: 60).whileHolding(longest: .seconds(60)) { _ in "worked" }
        } throws: { error in
            guard let error = error as? BridgeError, error.exitCode == 75 else { return false }
            return "\(error)".contains("server-b pid 200") && "\(error)".contains("could not take the lease")
        }
        try await elsewhere.lease { try await $0.release(held) }
        await elsewhere.close()
    }
}

/// A store whose first lease transaction fails the way a stalled one does: the server ended
/// it and closed its connection.
final class StalledLeaseStore: BridgeStore, @unchecked Sendable {
    private let base: any BridgeStore
    private let lock = NSLock()
    private var refusedOnce = false

    init(_ base: any BridgeStore) { self.base = base }

    /// Whether the first lease transaction was asked for, and refused.
    var hasRefused: Bool { lock.withLock { refusedOnce } }

    func lease<T>(_ work: (any LeaseSession) async throws -> T) async throws -> T {
        let refuse = lock.withLock {
            defer { refusedOnce = true }
            return !refusedOnce
        }
        if refuse {
            throw StoreError(.unavailable, "the connection to the database closed before the server answered", backend: "test")
        }
        return try await base.lease(work)
    }

    func intake<T>(_ work: (any IntakeSession) async throws -> T) async throws -> T { try await base.intake(work) }
    func cycle<T>(_ work: (any CycleSession) async throws -> T) async throws -> T { try await base.cycle(work) }
    func export<T>(_ work: (any ExportSession) async throws -> T) async throws -> T { try await base.export(work) }
    func claims<T>(_ work: (any ClaimsSession) async throws -> T) async throws -> T { try await base.claims(work) }
    func lookup<T>(_ work: (any LookupSession) async throws -> T) async throws -> T { try await base.lookup(work) }
    func desk<T>(_ work: (any DeskSession) async throws -> T) async throws -> T { try await base.desk(work) }
    func purge<T>(_ work: (any PurgeSession) async throws -> T) async throws -> T { try await base.purge(work) }
    func audit<T>(_ work: (any AuditSession) async throws -> T) async throws -> T { try await base.audit(work) }
    func operations<T>(_ work: (any OperationsSession) async throws -> T) async throws -> T { try await base.operations(work) }
    func recordOperations<T>(_ work: (any OperationsRecorder) async throws -> T) async throws -> T { try await base.recordOperations(work) }
    func fenced(by token: Int64) -> any BridgeStore { base.fenced(by: token) }
    func refreshStatistics() async throws { try await base.refreshStatistics() }
    func close() async { await base.close() }
}
