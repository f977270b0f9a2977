import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The operator's alert command, run once with a deadline over the whole of it.
///
/// The command gets the status on its standard input and in its environment; what it
/// prints goes to the bridge's standard error (the log). It runs in a session of its own,
/// so that stopping it at the deadline stops whatever it started too.
struct AlertCommand {
    enum Outcome: Equatable {
        case succeeded
        case failed(String)
        case timedOut
        case notStarted(String)
    }

    let command: String
    let environment: [String: String]
    let input: String
    let timeout: Duration

    private struct Deadline: Error {}

    func run() async -> Outcome {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in environment { updates[Environment.Key(stringLiteral: key)] = value }
        let configuration = Configuration(executable: .path("/bin/sh"), arguments: ["-c", command],
                                          environment: .inherit.updating(updates), platformOptions: options)
        let timeout = self.timeout
        let input: FileDescriptor
        do {
            input = try Self.inputFile(self.input)
        } catch {
            return .notStarted("the status could not be written for it: \(error)")
        }
        do {
            let status = try await withThrowingTaskGroup(of: TerminationStatus?.self) { group in
                group.addTask {
                    try await Subprocess.run(configuration, input: .fileDescriptor(input, closeAfterSpawningProcess: true),
                                             output: .currentStandardError, error: .currentStandardError).terminationStatus
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw Deadline()
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            switch status {
            case .exited(0)?: return .succeeded
            case .exited(let code)?: return .failed("status \(code)")
            case .signaled(let signal)?: return .failed("signal \(signal)")
            case nil: return .failed("no status")
            }
        } catch is Deadline {
            return .timedOut
        } catch {
            return .notStarted(String(describing: error))
        }
    }

    /// The status as a file already removed from its folder, read from its start: the
    /// command reads it or not, and nothing waits for it to.
    private static func inputFile(_ text: String) throws -> FileDescriptor {
        var template = Array((NSTemporaryDirectory() + "/kioskbridge-alert.XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Errno(rawValue: errno) }
        unlink(String(cString: template))
        let file = FileDescriptor(rawValue: fd)
        do {
            _ = try file.writeAll(Array(text.utf8))
            _ = try file.seek(offset: 0, from: .start)
        } catch {
            try? file.close()
            throw error
        }
        return file
    }
}
