import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bridge command left running, to be killed, paused or resumed as an operator's
/// machine (or the kernel) might: the soaks' way of stopping a bridge at a random moment.
/// Its output goes nowhere; what it did is read from the folders and the store.
final class BridgeProcess {
    private let process = Process()

    /// Starts `kioskbridge <arguments> --config … [--now …]` in `directory` (by default the
    /// bridge's folder), standing in for the server the command runs on.
    init(_ bridge: BridgeFixture, _ arguments: [String], now: String?, in directory: URL? = nil) throws {
        process.executableURL = BridgeFixture.executable
        process.arguments = arguments + ["--config", bridge.config] + (now.map { ["--now", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["KIOSKBRIDGE_CONFIG"] = nil
        process.environment = environment
        process.currentDirectoryURL = directory ?? bridge.root
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL; true when it was still running and died of it.
    func kill() -> Bool {
        let running = process.isRunning
        if running { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        KilledBridgeConnections.awaitClosed(ofProcess: process.processIdentifier)
        return running && process.terminationReason == .uncaughtSignal
    }

    /// SIGSTOP: the process stays, holding whatever it held, doing nothing.
    func pause() { Glibc.kill(process.processIdentifier, SIGSTOP) }

    /// SIGCONT, then waits for it to end; its exit status.
    func resumeAndWait() -> Int32 {
        Glibc.kill(process.processIdentifier, SIGCONT)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
