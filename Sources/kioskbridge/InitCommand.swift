import ArgumentParser
import KioskBridgeRuntime

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a folder with a commented kioskbridge.toml, its folders and an empty database.")

    @Argument(help: "The folder to create (or an existing folder without a kioskbridge.toml).")
    var directory: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try await BridgeSetup.initialize(folder: directory, openStore: StoreFactory.open)
            if common.json {
                printJSON(.object([("config", .string(configuration.file)), ("inbox", .string(configuration.paths.inbox)),
                                   ("outbox", .string(configuration.paths.outbox)), ("database", .string(configuration.paths.database))]))
            } else {
                printOutput("""
                    Created \(configuration.file)
                      inbox:    \(configuration.paths.inbox)
                      outbox:   \(configuration.paths.outbox)
                      database: \(configuration.paths.database)
                    Next: kioskbridge claims import SNAPSHOT.csv --config \(configuration.file)
                          kioskbridge cycle --config \(configuration.file)

                    """)
            }
        }
    }
}
