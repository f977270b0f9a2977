import ArgumentParser
import Hummingbird
import KioskBridgeDesk
import KioskBridgeRuntime
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "The library desk's web page for receipt lookups ([desk] address and port), and the metrics endpoint ([metrics]).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var logger = Logger(label: "kioskbridge")
        try await runReportingErrors {
            logger = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let desk = try DeskApplication(configuration: configuration, store: store, clock: common.runningClock)
            services.append(.init(service: desk.application(logger: logger)))
            if configuration.metricsPort != nil {
                // A metrics listener that cannot start (watch already answers on the port) is not
                // a reason to keep the desk away: the figures are the same from either process.
                services.append(.init(service: MetricsEndpoint(configuration: configuration, store: store, clock: common.runningClock)
                                          .application(logger: logger),
                                      successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore))
            }
            logger.info("desk at http://\(configuration.deskAddress):\(configuration.deskPort)/")
        }
        guard !services.isEmpty else { return }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
