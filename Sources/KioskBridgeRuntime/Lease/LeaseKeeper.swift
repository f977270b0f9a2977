import Foundation
public import KioskBridgeCore
public import KioskBridgeStore
#if canImport(Glibc)
import Glibc
#endif

/// This process's hold on the municipality's lease: taking it, renewing it while the
/// process works, giving it up at a clean stop.
///
/// The lease's own times are the database's. Renewal is paced by this process's monotonic
/// clock: every third of the lease, so that a renewal can fail twice before the lease lapses.
public actor LeaseKeeper {
    public let store: any BridgeStore
    public let candidate: LeaseCandidate
    public let seconds: Int
    public private(set) var lease: Lease?
    private var renewed = ContinuousClock.now
    /// Set once the lease was given up for good: a renewal still on its way must not take it again.
    private var stopped = false

    public init(store: any BridgeStore, seconds: Int, candidate: LeaseCandidate = LeaseKeeper.thisProcess()) {
        self.store = store
        self.seconds = seconds
        self.candidate = candidate
    }

    /// This process as a lease candidate: its host name, its pid, and a random part so
    /// that a restarted process with the same pid is a new holder.
    public static func thisProcess() -> LeaseCandidate {
        var name = [CChar](repeating: 0, count: 256)
        let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "unknown-host"
        let pid = getpid()
        return LeaseCandidate(holder: "\(host):\(pid):\(UUID().uuidString.prefix(8).lowercased())", host: host, pid: pid)
    }

    /// Takes the lease, or renews it if this process holds it. Nil while another holds it.
    @discardableResult
    public func acquire() async throws -> Lease? {
        guard !stopped else { return nil }
        let candidate = self.candidate
        let seconds = self.seconds
        let taken = try await store.lease { try await $0.acquire(candidate, seconds: seconds) }
        if stopped {
            // Given up while this was on its way (the actor lets a release in meanwhile).
            if let taken { try? await store.lease { try await $0.release(taken) } }
            return nil
        }
        lease = taken
        renewed = ContinuousClock.now
        return taken
    }

    /// Renews the lease when a third of it has passed since the last renewal. Returns the
    /// lease still held, or nil when it was lost (another holder took it over).
    public func renewIfDue() async throws -> Lease? {
        guard lease != nil else { return nil }
        guard ContinuousClock.now - renewed >= .seconds(max(1, seconds / 3)) else { return lease }
        return try await acquire()
    }

    /// Forgets a lease the store said was lost (a fenced write).
    public func lost() {
        lease = nil
    }

    /// Gives the lease up, so that a standby need not wait for it to lapse; this keeper
    /// takes it no more.
    public func release() async {
        stopped = true
        guard let held = lease else { return }
        lease = nil
        try? await store.lease { try await $0.release(held) }
    }

    /// Runs `work` holding the lease, with the store fenced by its token and the lease
    /// renewed while `work` runs; gives it up afterwards. Throws ``BridgeError/locked(_:)``
    /// at once when another bridge holds it (what a one-shot `cycle` or `ingest` does).
    ///
    /// The lease is renewed for at most `longest`: a run that has not ended by then is stuck
    /// (a lost connection that never answers, say), and must not keep a standby out for ever.
    public func whileHolding<T: Sendable>(longest: Duration, _ work: @Sendable (any BridgeStore) async throws -> T) async throws -> T {
        guard let held = try await acquireAfterStall() else {
            let state = try? await store.operations { try await $0.leaseState() }
            throw BridgeError.locked(LeaseKeeper.heldElsewhere(state))
        }
        let renewal = Task { [seconds] in
            let started = ContinuousClock.now
            while !Task.isCancelled, ContinuousClock.now - started < longest {
                try? await Task.sleep(for: .seconds(max(1, seconds / 3)))
                if Task.isCancelled { break }
                _ = try? await self.renewIfDue()
            }
        }
        defer { renewal.cancel() }
        do {
            let result = try await work(store.fenced(by: held.token))
            renewal.cancel()
            await release()
            return result
        } catch {
            renewal.cancel()
            // A bridge that lost the lease while it worked (paused, cut off) meets what the
            // new holder did meanwhile (a file already moved, a write refused): say so.
            let lapsed = ContinuousClock.now - renewed > .seconds(seconds)
            let state = await currentState()
            await release()
            if (error as? BridgeError)?.exitCode == 75 { throw error }
            if let current = state?.current, current.token != held.token {
                throw BridgeError.locked("this bridge lost the lease while it worked (\(BridgeError.describing(error))); \(current.host) pid \(current.pid) holds it with token \(current.token)")
            }
            if state == nil, lapsed {
                // Stalled past its lease, its connections ended by the server: it cannot even ask
                // who holds the lease now, but it knows its own has lapsed.
                throw BridgeError.locked("this bridge's lease lapsed while it worked (no renewal for more than \(seconds) s: the process was stalled), "
                                         + "and the database could not be asked who holds it now (\(BridgeError.describing(error)))")
            }
            throw error
        }
    }

    /// Takes the lease for a one-shot run. A process stopped while taking it, for longer
    /// than the lease, finds that the server ended its transaction meanwhile (the
    /// connection closed, or the idle timeout's own error). Asked who holds the lease now:
    /// another bridge is the lease held elsewhere; no one (a standby took it over and gave
    /// it up again) means the lease is free, and it is taken once more, on a new connection.
    private func acquireAfterStall() async throws -> Lease? {
        do {
            return try await acquire()
        } catch {
            let state = await currentState()
            if let current = state?.current, state?.isHeld == true, current.holder != candidate.holder {
                throw BridgeError.locked("this bridge could not take the lease (\(BridgeError.describing(error))); " + LeaseKeeper.heldElsewhere(state))
            }
            let code = (error as? StoreError)?.code
            guard state != nil, code == .unavailable || code == .fenced else { throw error }
            return try await acquire()
        }
    }

    /// Who holds the lease, asked up to three times: after a stall the pool's first
    /// connections may be ones the server has closed.
    private func currentState() async -> LeaseState? {
        for _ in 0..<3 {
            if let state = try? await store.operations({ try await $0.leaseState() }) { return state }
        }
        return nil
    }

    /// Why a one-shot run could not start.
    static func heldElsewhere(_ state: LeaseState?) -> String {
        guard let holder = state?.current, state?.isHeld == true else {
            return "another kioskbridge cycle, ingest or watch holds the bridge's lease; try again later"
        }
        return "another kioskbridge holds the bridge's lease (\(holder.host) pid \(holder.pid), since \(Timestamp.format(holder.since)), token \(holder.token)); try again later"
    }
}
