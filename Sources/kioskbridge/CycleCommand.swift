import ArgumentParser
import KioskBridgeRuntime

struct CycleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cycle",
        abstract: "Ingest, then allocate and write one batch of debtor import files (what cron or a systemd timer runs every 20 minutes).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            let logger = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            let store = try await StoreFactory.open(configuration)
            let now = common.clock.now()
            let summary = try await LeaseKeeper(store: store, seconds: configuration.leaseSeconds).whileHolding(longest: configuration.longestRun) { store in
                let ingest = IngestRun(configuration: configuration, store: store, logger: logger)
                return try await CycleRun(configuration: configuration, store: store, logger: logger, ingest: ingest).run(at: now)
            }
            await store.close()
            if common.json {
                printJSON(summary.json)
            } else {
                printOutput(summary.text)
            }
            if !summary.errors.isEmpty { throw ExitCode(74) }
        }
    }
}
