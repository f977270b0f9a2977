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
            let store = try await StoreFactory.open(configuration)
            let now = common.clock.now()
            let summary = try await LeaseKeeper(store: store, seconds: configuration.leaseSeconds).whileHolding(longest: configuration.longestRun) { store in
                try await IngestRun(configuration: configuration, store: store, logger: logger).run(at: now)
            }
            await store.close()
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
