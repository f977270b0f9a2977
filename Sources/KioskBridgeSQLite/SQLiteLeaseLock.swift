import Foundation
import KioskBridgeStore
#if canImport(Glibc)
import Glibc
#endif

/// The lock beside the database (`<database>.lock`) that keeps a second bridge off one
/// SQLite store: an advisory `flock` the kernel drops when the process ends, however it
/// ends, so a crash never leaves it held and its release proves the holder is gone.
final class SQLiteLeaseLock: @unchecked Sendable {
    let path: String
    private let mutex = NSLock()
    private var descriptor: Int32?

    init(databasePath: String) {
        path = databasePath + ".lock"
    }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// Takes the lock if it is free (or already this process's). False while another holds it.
    func take() throws -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        if descriptor != nil { return true }
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(.io, "cannot open the lock file \(path): \(String(cString: strerror(errno)))", backend: SQLiteBridgeStore.backend)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return false }
            throw StoreError(.io, "cannot lock \(path): \(String(cString: strerror(code)))", backend: SQLiteBridgeStore.backend)
        }
        descriptor = fd
        return true
    }

    func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard let fd = descriptor else { return }
        flock(fd, LOCK_UN)
        close(fd)
        descriptor = nil
    }

    /// Whether some process (this one included) holds the lock now; takes nothing.
    var isHeld: Bool {
        mutex.lock()
        let mine = descriptor != nil
        mutex.unlock()
        if mine { return true }
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}
