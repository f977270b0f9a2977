import ArgumentParser
import KioskBridgeRuntime

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Health for monitoring: exit 0 healthy, 1 warning, 2 critical (Nagios/Icinga style); --json for others.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        var code: Int32 = 0
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let status = try await BridgeStatus.evaluate(configuration: configuration, store: store, at: common.clock.now())
            if common.json {
                printJSON(status.json)
            } else {
                printOutput(status.text)
            }
            code = Int32(status.level.rawValue)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
