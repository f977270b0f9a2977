import ArgumentParser
import KioskBridgeRuntime

struct ReceiptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "What happened to a payment: QUERY is a receipt number, a transaction id, or a CPR/CVR number.")

    @Argument(help: "Receipt number, transaction id, or CPR/CVR number.")
    var query: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let started = ContinuousClock.now
            let matches = try await ReceiptLookup(store: store, configuration: configuration).find(query)
            let elapsed = ContinuousClock.now - started
            let shownQuery = ReceiptLookup.shown(query)
            if common.json {
                // lookup_us: how long the lookup itself took, in microseconds (scripts/bench reads it).
                printJSON(.object([("query", .string(shownQuery)), ("matches", .array(matches.map(\.json))),
                                   ("lookup_us", .int(elapsed.wholeMicroseconds))]))
            } else if matches.isEmpty {
                printOutput("Nothing found for \(shownQuery).\n")
            } else {
                printOutput(matches.map(\.text).joined(separator: "\n"))
            }
        }
    }
}
