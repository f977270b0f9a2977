import ArgumentParser
import KioskBridgeRuntime

struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Open-claims snapshots.",
        subcommands: [ClaimsImportCommand.self])
}

struct ClaimsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load an open-claims snapshot; it replaces the claims of its source, all or nothing.")

    @Argument(help: "The snapshot file (claims-snapshot.md).")
    var file: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            let logger = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            let store = try await StoreFactory.open(configuration)
            let result = try await ClaimsImport(store: store, logger: logger, limits: configuration.identifierLimits,
                                                plausibility: configuration.plausibility).run(path: file, at: common.clock.now())
            if common.json {
                printJSON(result.json)
            } else {
                printOutput(result.text)
            }
        }
    }
}
