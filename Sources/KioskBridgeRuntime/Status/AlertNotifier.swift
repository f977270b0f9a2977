import Foundation
public import KioskBridgeCore
public import KioskBridgeStore
public import Logging

/// `[alerts]`: runs a command when the status changes level, once per change.
///
/// A bridge that is stuck should page someone before a patron or the finance office
/// notices. Alerting on every cycle would teach people to ignore it, so the command runs
/// only when the level changes (ok → warning, warning → critical, and back to ok when
/// `on_recovery` is set). The last level acted on is kept in the database; a command that
/// fails is tried again at the next cycle.
public struct AlertNotifier: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// Evaluates the status and alerts if its level changed. Returns whether the command ran.
    @discardableResult
    public func check(at now: Instant) async throws -> Bool {
        guard let command = configuration.alertCommand else { return false }
        let status = try await BridgeStatus.evaluate(configuration: configuration, store: store, at: now)
        let previous = try await store.operations { try await $0.alertState() }
        let previousLevel = previous.flatMap { BridgeStatus.Level(name: $0.level) } ?? .ok
        guard status.level != previousLevel else { return false }
        if status.level == .ok && !configuration.alertOnRecovery {
            try await store.recordOperations { try await $0.setAlertState(AlertState(level: status.level.name, changedAt: now, summary: status.summary)) }
            return false
        }
        guard run(command, status: status, previous: previousLevel) else { return false }
        try await store.recordOperations { try await $0.setAlertState(AlertState(level: status.level.name, changedAt: now, summary: status.summary)) }
        logger.notice("status changed from \(previousLevel.name) to \(status.level.name); alert command run")
        return true
    }

    /// Runs `/bin/sh -c command` with the status in its environment and on standard input.
    private func run(_ command: String, status: BridgeStatus, previous: BridgeStatus.Level) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["KIOSKBRIDGE_STATUS"] = status.level.name
        environment["KIOSKBRIDGE_PREVIOUS_STATUS"] = previous.name
        environment["KIOSKBRIDGE_SUMMARY"] = status.summary
        environment["KIOSKBRIDGE_CONFIG"] = configuration.file
        process.environment = environment
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            logger.error("the alert command could not be started: \(error.localizedDescription)")
            return false
        }
        // A command that does not read its input must not take the bridge down with it.
        try? input.fileHandleForWriting.write(contentsOf: Data(status.text.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            logger.error("the alert command did not finish within 30 seconds and was stopped; it is tried again next cycle")
            return false
        }
        guard process.terminationStatus == 0 else {
            logger.error("the alert command exited with \(process.terminationStatus); it is tried again next cycle")
            return false
        }
        return true
    }
}
