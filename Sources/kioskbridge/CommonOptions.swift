import ArgumentParser
import Foundation
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import KioskBridgeFormats
import Logging

/// The options every command takes, after the subcommand.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $KIOSKBRIDGE_CONFIG, ./kioskbridge.toml, /etc/kioskbridge/kioskbridge.toml).")
    var config: String?

    @Option(name: .long, help: "Act as if the clock showed this instant (ISO 8601, e.g. 2026-11-21T14:20:00+01:00).")
    var now: String?

    @Flag(name: .long, help: "Print the result as one JSON document on standard output.")
    var json = false

    @Option(name: .long, help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let now, case .failure(let problem) = Timestamp.parse(now) {
            throw ValidationError("--now \(now): expected \(Timestamp.expectation) (\(problem))")
        }
    }

    /// The clock: `--now` pins it; otherwise the system clock.
    var clock: any BridgeClock {
        if let now, case .success(let instant) = Timestamp.parse(now) { return FixedClock(instant) }
        return SystemClock()
    }

    /// A clock that starts at `--now` and runs on (for long-running commands).
    var runningClock: any BridgeClock {
        if let now, case .success(let instant) = Timestamp.parse(now) { return ShiftedClock(startingAt: instant) }
        return SystemClock()
    }

    func logger() -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, level: level) }
        return Logger(label: "kioskbridge")
    }

    func loadConfiguration() throws -> BridgeConfiguration {
        try ConfigurationLoader.load(path: try ConfigurationLoader.locate(explicit: config))
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

/// Runs a command body, turning failures into a message on standard error and the
/// command's exit code.
func runReportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as BridgeError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    } catch let error as FileAccessError {
        printError(error.description)
        throw ExitCode(74)
    } catch let error as ExitCode {
        throw error
    } catch let error as StoreError {
        let outcome = BridgeError(error, doing: "the store failed")
        printError(outcome.description)
        throw ExitCode(outcome.exitCode)
    } catch {
        printError(String(describing: error))
        throw ExitCode(74)
    }
}

func printError(_ message: String) {
    try? FileHandle.standardError.write(contentsOf: Data("kioskbridge: error: \(message)\n".utf8))
}

func printOutput(_ text: String) {
    try? FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
}

func printJSON(_ value: JSONValue) {
    printOutput(value.rendered() + "\n")
}
