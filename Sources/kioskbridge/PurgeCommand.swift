import ArgumentParser
import KioskBridgeCore
import KioskBridgeRuntime

struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Pseudonymise the CPR numbers of payments exported before DATE, and delete archived files from before it.",
        discussion: "DATE may not be later than [retention] allows (by default five years after the end of the financial year).")

    @Option(name: .long, help: "YYYY-MM-DD: payments exported before this day.")
    var before: String

    @Flag(name: .long, help: "Count what would change, change nothing.")
    var dryRun = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if LocalDate(iso: before) == nil { throw ValidationError("--before \(before): expected a date YYYY-MM-DD") }
    }

    func run() async throws {
        try await runReportingErrors {
            let logger = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            guard let date = LocalDate(iso: before) else { return }
            let now = common.clock.now()
            let dryRun = self.dryRun
            // Purging holds the lease too, so that no cycle exports while files are deleted.
            let report = try await LeaseKeeper(store: store, seconds: configuration.leaseSeconds).whileHolding(longest: configuration.longestRun) { store in
                let purge = Purge(configuration: configuration, store: store, logger: logger)
                return dryRun ? try await purge.dryRun(before: date, at: now) : try await purge.run(before: date, at: now, dryRun: false)
            }
            await store.close()
            if common.json { printJSON(report.json) } else { printOutput(report.text) }
        }
    }
}
