public import KioskBridgeStore

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

extension BridgeError {
    /// A store failure as the command's outcome: a lost lease is "try again later" (75), a
    /// configuration the database refuses is 64, anything else an I/O error (74).
    public init(_ error: StoreError, doing what: String) {
        let text = "\(what): \(error.description)"
        switch error.code {
        case .fenced: self = .locked(text)
        case .configuration: self = .configuration(text)
        default: self = .io(text)
        }
    }

    /// Rethrows a write the store refused because this bridge no longer holds the lease:
    /// that ends the run at once, where other failures of one step let the others go on.
    public static func rethrowIfFenced(_ error: any Error) throws {
        if let error = error as? StoreError, error.code == .fenced { throw error }
    }

    /// Any error as the command's outcome, for the command line's last word.
    public static func describing(_ error: any Error) -> String {
        if let error = error as? BridgeError { return error.description }
        if let error = error as? StoreError { return error.description }
        return String(describing: error)
    }
}
