import ArgumentParser
import Foundation
import KioskBridgeRuntime

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole bridge on the project's sample files in a fresh temporary folder and show what it did.")

    @Option(name: .long, help: "The SampleFiles folder (default: found from the current folder or the executable).")
    var samples: String?

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            let logger = common.logger()
            guard let folder = Demo.locateSamples(explicit: samples, executable: CommandLine.arguments[0]) else {
                throw BridgeError.configuration("cannot find the SampleFiles folder: run from the project folder or give --samples DIR")
            }
            printOutput(try await Demo(samples: folder, logger: logger, openStore: StoreFactory.open).run())
        }
    }
}
