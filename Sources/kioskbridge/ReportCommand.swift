import ArgumentParser
import KioskBridgeCore
import KioskBridgeRuntime

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reconciliation for one day, per kiosk: received, exported, voided, rejected and pending, and every difference located.",
        discussion: "Text by default; --json, --csv (for a spreadsheet) or --html (a printable page).")

    @Option(name: .long, help: "The day (YYYY-MM-DD, Copenhagen); default: today.")
    var date: String?

    @Flag(name: .long, help: "One row per kiosk, ;-separated, kroner with a decimal comma.")
    var csv = false

    @Flag(name: .long, help: "A printable HTML page.")
    var html = false

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let date, LocalDate(iso: date) == nil { throw ValidationError("--date \(date): expected a date YYYY-MM-DD") }
        if [csv, html, common.json].filter({ $0 }).count > 1 { throw ValidationError("choose one of --json, --csv and --html") }
    }

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let day = date.flatMap { LocalDate(iso: $0) } ?? CopenhagenTime.localDate(at: common.clock.now())
            let report = try await Reconciliation.make(date: day, store: store)
            if common.json {
                printJSON(report.json)
            } else if csv {
                printOutput(report.csv)
            } else if html {
                printOutput(report.html)
            } else {
                printOutput(report.text)
            }
        }
    }
}
