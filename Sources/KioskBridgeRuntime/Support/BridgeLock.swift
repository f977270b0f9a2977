#if canImport(Glibc)
import Glibc
#endif

/// The lock that keeps two `cycle`, `ingest` or `watch` processes off the same bridge.
///
/// An advisory `flock` on a file beside the database: the kernel drops it when the
/// process ends, however it ends, so a crash never leaves a stale lock behind. A second
/// process does not wait: it exits 75 at once, which cron and systemd understand as
/// "try again later".
public final class BridgeLock {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock or throws ``BridgeError/locked(_:)``.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw BridgeError.io("cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw BridgeError.locked("another kioskbridge cycle, ingest or watch is running on this bridge (lock \(path) is held); try again later")
            }
            throw BridgeError.io("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Whether another process holds the lock now (for `status`; takes nothing).
    public static func isHeld(path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// The lock file for a database: `<database>.lock`.
    public static func path(forDatabase database: String) -> String { database + ".lock" }
}
