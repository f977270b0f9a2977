import ArgumentParser
import KioskBridgeDesk
import KioskBridgeRuntime
import Logging
import ServiceLifecycle

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stay running: take files in as they land, run a cycle at each cycle boundary, stop cleanly on SIGTERM/SIGINT.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var service: WatchService?
        var metrics: MetricsEndpoint?
        var held: BridgeLock?
        var logger = Logger(label: "kioskbridge")
        try await runReportingErrors {
            logger = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            held = try BridgeLock(path: BridgeLock.path(forDatabase: configuration.paths.database))
            let store = try await StoreFactory.open(configuration)
            let ingest = IngestRun(configuration: configuration, store: store, logger: logger)
            let cycle = CycleRun(configuration: configuration, store: store, logger: logger, ingest: ingest)
            service = WatchService(configuration: configuration, ingest: ingest, cycle: cycle, clock: common.runningClock, logger: logger)
            if configuration.metricsPort != nil {
                metrics = MetricsEndpoint(configuration: configuration, store: store, clock: common.runningClock)
            }
        }
        guard let service else { return }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
        if let metrics {
            // The metrics listener is an extra: if its port is taken, watching goes on without it.
            services.append(.init(service: metrics.application(logger: logger),
                                  successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        withExtendedLifetime(held) {}
    }
}
