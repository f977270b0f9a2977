import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bridge command left running, to be killed, paused or resumed as an operator's
/// machine (or the kernel) might: the soaks' way of stopping a bridge at a random moment.
/// Its output goes nowhere but its error stream, kept for a failing test's message; what
/// it did is read from the folders and the store.
final class BridgeProcess {
    private let process = Process()
    private let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-process-\(UUID().uuidString).stderr")

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
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: errorFile) }

    /// The end of what it wrote to its error stream so far.
    var errorTail: String {
        String((try? String(contentsOf: errorFile, encoding: .utf8))?.suffix(600) ?? "")
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

    /// Waits for it to end on its own; its exit status.
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGCONT, then waits for it to end; its exit status.
    func resumeAndWait() -> Int32 {
        Glibc.kill(process.processIdentifier, SIGCONT)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
