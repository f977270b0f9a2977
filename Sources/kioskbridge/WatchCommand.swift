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
        var logger = Logger(label: "kioskbridge")
        try await runReportingErrors {
            logger = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            let store = try await StoreFactory.open(configuration)
            service = WatchService(configuration: configuration, store: store, clock: common.runningClock, logger: logger)
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
    }
}
