import ArgumentParser
import KioskBridgeRuntime

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Checks on the trail.",
        subcommands: [AuditVerifyCommand.self])
}

struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Walk the trail's hash chain: exit 0 when intact, 65 naming the first row that does not fit.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var intact = true
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let result = try await TrailAudit(store: store).verify()
            intact = result.problem == nil
            if common.json {
                printJSON(.object([
                    ("intact", .bool(intact)), ("rows", .int(result.rowsChecked)),
                    ("head", result.head.map { .object([("row", .int(Int($0.rowID))), ("sha256", .string($0.sha256))]) } ?? .null),
                    ("problem", result.problem.map(JSONValue.string) ?? .null),
                ]))
            } else {
                printOutput(result.text)
            }
        }
        if !intact { throw ExitCode(65) }
    }
}
