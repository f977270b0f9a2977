import ArgumentParser

@main
struct KioskBridgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kioskbridge",
        abstract: "Takes library kiosk payments in, allocates them oldest claim first, and writes the debtor system's import files.",
        discussion: """
            Options go after the subcommand: kioskbridge cycle --config /etc/kioskbridge/kioskbridge.toml --json
            Exit codes: 0 done, 64 usage or configuration error, 65 invalid input file, 74 I/O error, 75 another run holds the lock.
            """,
        subcommands: [
            InitCommand.self, IngestCommand.self, CycleCommand.self, WatchCommand.self, ClaimsCommand.self,
            ReceiptCommand.self, ReportCommand.self, DemoCommand.self,
        ]
    )
}
