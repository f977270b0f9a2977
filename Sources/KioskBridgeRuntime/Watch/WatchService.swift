import Foundation
import KioskBridgeCore
public import KioskBridgeStore
public import Logging
import ServiceLifecycle

/// `watch`: stays running, takes files in as they settle, runs a cycle at each cycle
/// boundary, and on SIGTERM or SIGINT finishes the step it is in and stops.
///
/// It works only while it holds the municipality's lease. Without it, it stands by:
/// it asks again at every poll, and takes over once the holder has stopped renewing for
/// `[lease] seconds`, or at once when the holder's process has ended. A write the store refuses because a newer holder has the lease
/// (this one was paused, or cut off) sends it back to standing by at once.
public struct WatchService: Service {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let clock: any BridgeClock
    let logger: Logger
    let keeper: LeaseKeeper

    public init(configuration: BridgeConfiguration, store: any BridgeStore, clock: any BridgeClock, logger: Logger,
                keeper: LeaseKeeper? = nil) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
        self.keeper = keeper ?? LeaseKeeper(store: store, seconds: configuration.leaseSeconds)
    }

    /// The runs of a holder, on the store fenced by its lease's token.
    struct Work {
        let token: Int64
        let ingest: IngestRun
        let cycle: CycleRun
    }

    public func run() async throws {
        let inbox = Inbox(paths: configuration.paths)
        var tracker = SettleTracker()
        var boundary = configuration.cycle.boundary(after: clock.now())
        var work: Work?
        var standingBy = false
        logger.info("watching \(configuration.paths.inbox); next cycle at \(Timestamp.format(boundary))")
        let started = ContinuousClock.now
        func monotonicSeconds() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let held = try await holding(work, standingBy: &standingBy)
                if let held, held.token != work?.token {
                    boundary = try await catchUp(boundary)
                }
                work = held
                if let work {
                    let listing = try inbox.list()
                    let ready = tracker.ready(listing, now: monotonicSeconds(), settleSeconds: configuration.settleSeconds)
                    let now = clock.now()
                    if now >= boundary {
                        _ = try await work.cycle.run(at: now, settled: ready)
                        tracker.forget(ready.map(\.name))
                        boundary = configuration.cycle.boundary(after: now)
                        logger.info("next cycle at \(Timestamp.format(boundary))")
                    } else if !ready.isEmpty {
                        _ = try await work.ingest.run(at: now, settled: ready)
                        tracker.forget(ready.map(\.name))
                    }
                } else if clock.now() >= boundary {
                    boundary = configuration.cycle.boundary(after: clock.now())
                }
            } catch let error as StoreError where error.code == .fenced {
                logger.error("\(error.description); standing by")
                await keeper.lost()
                work = nil
                standingBy = true
            } catch let error as BridgeError {
                logger.error("\(error.description)")
            } catch {
                logger.error("\(BridgeError.describing(error))")
            }
            let untilBoundary = Double(boundary.millisecondsSinceEpoch - clock.now().millisecondsSinceEpoch) / 1000
            let pause = max(0.05, min(configuration.pollSeconds, untilBoundary))
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: .milliseconds(Int(pause * 1000)))
            }
        }
        await keeper.release()
        logger.info("watch stopped")
    }

    /// A new holder runs the cycle the old one missed: if the bridge has run cycles before
    /// but none since the last boundary, the next cycle is now rather than at the next one.
    private func catchUp(_ boundary: Instant) async throws -> Instant {
        let now = clock.now()
        let last = configuration.cycle.boundary(atOrBefore: now)
        let lastCycle = try await store.operations { try await $0.lastCycle() }
        guard let started = lastCycle?.startedAt, started < last else { return boundary }
        logger.notice("no cycle ran at \(Timestamp.format(last)): running it now")
        return now
    }

    /// Takes, renews or loses the lease; the runs to use while it is held, nil while standing by.
    private func holding(_ work: Work?, standingBy: inout Bool) async throws -> Work? {
        let lease = work == nil ? try await keeper.acquire() : try await keeper.renewIfDue()
        guard let lease else {
            if work != nil {
                logger.error("the lease was lost to another bridge; standing by")
            } else if !standingBy {
                let holder = try? await store.operations { try await $0.leaseState() }.current
                logger.notice("standing by: the lease is held by \(holder.map { "\($0.host) pid \($0.pid)" } ?? "another bridge")")
            }
            standingBy = true
            return nil
        }
        if let work, work.token == lease.token { return work }
        logger.notice("took the lease (token \(lease.token)); working")
        standingBy = false
        let fenced = store.fenced(by: lease.token)
        let ingest = IngestRun(configuration: configuration, store: fenced, logger: logger)
        return Work(token: lease.token, ingest: ingest, cycle: CycleRun(configuration: configuration, store: fenced, logger: logger, ingest: ingest))
    }
}
