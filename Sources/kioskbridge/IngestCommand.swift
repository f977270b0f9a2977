import ArgumentParser
import KioskBridgeRuntime

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Take every ready file in the inbox once; book what is valid; archive or reject each file.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            let logger = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            let lock = try BridgeLock(path: BridgeLock.path(forDatabase: configuration.paths.database))
            defer { withExtendedLifetime(lock) {} }
            let store = try await StoreFactory.open(configuration)
            let summary = try await IngestRun(configuration: configuration, store: store, logger: logger).run(at: common.clock.now())
            var cycle = CycleSummary(at: common.clock.now())
            cycle.ingest = summary
            cycle.warnings = summary.warnings
            if common.json {
                printJSON(cycle.json)
            } else {
                printOutput(cycle.text)
            }
        }
    }
}
