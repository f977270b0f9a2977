import Foundation
import KioskBridgeCore
public import Logging
import ServiceLifecycle

/// `watch`: stays running, takes files in as they settle, runs a cycle at each cycle
/// boundary, and on SIGTERM or SIGINT finishes the step it is in and stops.
public struct WatchService: Service {
    let configuration: BridgeConfiguration
    let ingest: IngestRun
    let cycle: CycleRun
    let clock: any BridgeClock
    let logger: Logger

    public init(configuration: BridgeConfiguration, ingest: IngestRun, cycle: CycleRun, clock: any BridgeClock, logger: Logger) {
        self.configuration = configuration
        self.ingest = ingest
        self.cycle = cycle
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        let inbox = Inbox(paths: configuration.paths)
        var tracker = SettleTracker()
        var boundary = configuration.cycle.boundary(after: clock.now())
        logger.info("watching \(configuration.paths.inbox); next cycle at \(Timestamp.format(boundary))")
        let started = ContinuousClock.now
        func monotonicSeconds() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let listing = try inbox.list()
                let ready = tracker.ready(listing, now: monotonicSeconds(), settleSeconds: configuration.settleSeconds)
                let now = clock.now()
                if now >= boundary {
                    _ = try await cycle.run(at: now, settled: ready)
                    tracker.forget(ready.map(\.name))
                    boundary = configuration.cycle.boundary(after: now)
                    logger.info("next cycle at \(Timestamp.format(boundary))")
                } else if !ready.isEmpty {
                    _ = try await ingest.run(at: now, settled: ready)
                    tracker.forget(ready.map(\.name))
                }
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
        logger.info("watch stopped")
    }
}
