import ArgumentParser
import KioskBridgeRuntime

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a folder with a commented kioskbridge.toml, its folders and an empty database.")

    @Argument(help: "The folder to create (or an existing folder without a kioskbridge.toml).")
    var directory: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        try runReportingErrors {
            _ = common.logger()
            let configuration = try BridgeSetup.initialize(folder: directory)
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
