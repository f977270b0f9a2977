import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct KioskBridgeCommand: AsyncParsableCommand {
    static func main() async {
        useOneMallocArena()
        // A pipe closed by its reader (an alert command, `| head`) is an error to handle
        // where it happens, not a reason for the process to die mid-cycle.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "kioskbridge",
        abstract: "Takes library kiosk payments in, allocates them oldest claim first, and writes the debtor system's import files.",
        discussion: """
            Options go after the subcommand: kioskbridge cycle --config /etc/kioskbridge/kioskbridge.toml --json
            Exit codes: 0 done, 64 usage or configuration error, 65 invalid input file, 74 I/O error, 75 another run holds the lock.
            """,
        subcommands: [
            InitCommand.self, IngestCommand.self, CycleCommand.self, WatchCommand.self, ClaimsCommand.self,
            ReceiptCommand.self, ReportCommand.self, StatusCommand.self, AuditCommand.self, PurgeCommand.self, ServeCommand.self,
            DeskCommand.self, StoreCommand.self, DemoCommand.self,
        ]
    )
}
