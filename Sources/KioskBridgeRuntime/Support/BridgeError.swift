/// The failures a command can end with, each with its exit code (sysexits), so that
/// cron, systemd and scripts can tell "try again later" from "fix the configuration".
public enum BridgeError: Error, CustomStringConvertible, Sendable {
    /// 64: the configuration or the command line is wrong.
    case configuration(String)
    /// 65: a file named on the command line is invalid.
    case invalidInput(String)
    /// 74: an I/O error (disk full, permission denied, database unreadable or locked).
    case io(String)
    /// 75: another cycle, ingest or watch holds the bridge's lock.
    case locked(String)

    public var exitCode: Int32 {
        switch self {
        case .configuration: 64
        case .invalidInput: 65
        case .io: 74
        case .locked: 75
        }
    }

    public var description: String {
        switch self {
        case .configuration(let text), .invalidInput(let text), .io(let text), .locked(let text): text
        }
    }
}
