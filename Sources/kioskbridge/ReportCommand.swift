import ArgumentParser
import KioskBridgeCore
import KioskBridgeRuntime

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reconciliation for one day: per kiosk, what was received, rejected, voided and exported, with totals.")

    @Option(name: .long, help: "The day (YYYY-MM-DD, Copenhagen); default: today.")
    var date: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let date, LocalDate(iso: date) == nil { throw ValidationError("--date \(date): expected a date YYYY-MM-DD") }
    }

    func run() throws {
        try runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try BridgeSetup.openStore(configuration)
            let day = date.flatMap { LocalDate(iso: $0) } ?? CopenhagenTime.localDate(at: common.clock.now())
            let report = try DayReport.make(date: day, store: store)
            if common.json {
                printJSON(report.json)
            } else {
                printOutput(report.text)
            }
        }
    }
}
