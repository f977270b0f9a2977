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
        guard await run(command, status: status, previous: previousLevel) else { return false }
        try await store.recordOperations { try await $0.setAlertState(AlertState(level: status.level.name, changedAt: now, summary: status.summary)) }
        logger.notice("status changed from \(previousLevel.name) to \(status.level.name); alert command run")
        return true
    }

    /// Runs `/bin/sh -c command` with the status in its environment and on standard input.
    /// The timeout covers the whole run: a command that never reads its input, or never
    /// ends, is stopped (its process group is sent SIGTERM, then SIGKILL) and the bridge
    /// goes on.
    private func run(_ command: String, status: BridgeStatus, previous: BridgeStatus.Level) async -> Bool {
        let outcome = await AlertCommand(command: command, environment: [
            "KIOSKBRIDGE_STATUS": status.level.name,
            "KIOSKBRIDGE_PREVIOUS_STATUS": previous.name,
            "KIOSKBRIDGE_SUMMARY": status.summary,
            "KIOSKBRIDGE_CONFIG": configuration.file,
        ], input: status.text, timeout: .milliseconds(Int(configuration.alertTimeoutSeconds * 1000))).run()
        switch outcome {
        case .succeeded:
            return true
        case .failed(let code):
            logger.error("the alert command exited with \(code); it is tried again next cycle")
        case .timedOut:
            logger.error("the alert command did not finish within [alerts] timeout_seconds = \(configuration.alertTimeoutSeconds) and was stopped; it is tried again next cycle")
        case .notStarted(let reason):
            logger.error("the alert command could not be started: \(reason)")
        }
        return false
    }
}
