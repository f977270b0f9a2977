import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named points at which the process can be made to die on purpose, to prove that a
/// crash at any of them loses no payment and exports none twice.
///
/// Set `KIOSKBRIDGE_CRASH_AT=<point>` (or `<point>:<n>` for the n-th time the point is
/// reached) and the process ends there with exit status 137, as abruptly as SIGKILL:
/// no cleanup, no flushing, no transaction commit. Without the variable a point costs a
/// dictionary lookup.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// A kiosk file was renamed into processing/.
    case afterClaim = "after-claim"
    /// In the middle of booking a file's records, before the transaction commits.
    case midBooking = "mid-booking"
    /// A booking transaction (one or more files) committed; its files are still in processing/.
    case afterBooking = "after-booking"
    /// The file was moved to the archive or to rejected/.
    case afterMove = "after-move"
    /// The cycle's allocation committed.
    case afterAllocation = "after-allocation"
    /// An export batch was committed (prepared), nothing written yet.
    case afterPrepare = "after-prepare"
    /// The export's temporary file is written and flushed, not yet renamed.
    case afterTemporaryFile = "after-temporary-file"
    /// The export file was renamed into the outbox.
    case afterOutboxRename = "after-outbox-rename"
    /// The archive copy is in place; the batch is not yet recorded as published.
    case afterArchiveRename = "after-archive-rename"
    /// The batch is recorded as published.
    case afterPublish = "after-publish"
    /// FBS answered a payment registration; the answer is not yet stored.
    case afterFBSCall = "after-fbs-call"

    private static let configured: (point: String, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["KIOSKBRIDGE_CRASH_AT"], !value.isEmpty else { return nil }
        let parts = value.split(separator: ":")
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()

    nonisolated(unsafe) private static var reached: [String: Int] = [:]
    private static let lock = NSLock()

    /// Dies here if this point was asked for.
    public func reach() {
        guard let configured = Self.configured, configured.point == rawValue else { return }
        Self.lock.lock()
        let count = (Self.reached[rawValue] ?? 0) + 1
        Self.reached[rawValue] = count
        Self.lock.unlock()
        if count >= configured.count { _exit(137) }
    }
}
