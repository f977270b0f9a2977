import Foundation
import KioskBridgeCore
public import KioskBridgeStore
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The embedded store: one SQLite file in WAL mode, written with full fsync so that a
/// commit is on disk before the bridge moves the file it came from.
///
/// SQLite has one writer at a time: a write session holds the database's write lock from
/// its start to its commit, and another process's write waits up to the busy timeout.
/// Read-only sessions run beside it on a snapshot of their own.
public final class SQLiteBridgeStore: BridgeStore {
    static let backend = "SQLite"

    let pool: DatabasePool
    public let path: String
    /// The lock beside the database, shared by every fenced view of this store.
    let lock: SQLiteLeaseLock
    /// The lease token every intake and cycle transaction is checked against (nil: none).
    let fence: Int64?

    private init(pool: DatabasePool, path: String, lock: SQLiteLeaseLock, fence: Int64?) {
        self.pool = pool
        self.path = path
        self.lock = lock
        self.fence = fence
    }

    /// Opens (creating if needed) and migrates the database at `path`. The file is
    /// created readable by its owner only: it holds CPR numbers.
    public convenience init(path: String, busyTimeoutSeconds: Double = 10) throws {
        if access(path, F_OK) != 0 {
            let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { Glibc.close(fd) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // 16 MB of page cache per connection (SQLite's default is 2 MB): a cycle over a
            // million payments otherwise spends most of its time re-reading pages.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            // The log is folded back into the database every 64 MB rather than every 4 MB: a
            // kiosk file's payments touch pages all over the payer index, and each fold copies
            // every page the files since the last one touched.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(SQLiteBridgeStore.logFoldPages)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
            self.init(pool: pool, path: path, lock: SQLiteLeaseLock(databasePath: path), fence: nil)
        } catch {
            throw SQLiteErrors.map(error)
        }
    }

    public func intake<T>(_ work: (any IntakeSession) async throws -> T) async throws -> T {
        try await write(SQLiteIntakeSession.init, fenced: true, work)
    }

    public func cycle<T>(_ work: (any CycleSession) async throws -> T) async throws -> T {
        try await write(SQLiteCycleSession.init, fenced: true, work)
    }

    public func export<T>(_ work: (any ExportSession) async throws -> T) async throws -> T {
        try await ConfinedConnection.read(pool) { connection in try await work(SQLiteExportSession(connection)) }
    }

    public func claims<T>(_ work: (any ClaimsSession) async throws -> T) async throws -> T {
        try await write(SQLiteClaimsSession.init, work)
    }

    public func lookup<T>(_ work: (any LookupSession) async throws -> T) async throws -> T {
        try await ConfinedConnection.read(pool) { connection in try await work(SQLiteLookupSession(connection)) }
    }

    public func desk<T>(_ work: (any DeskSession) async throws -> T) async throws -> T {
        try await write(SQLiteDeskSession.init, work)
    }

    public func purge<T>(_ work: (any PurgeSession) async throws -> T) async throws -> T {
        let result = try await write(SQLitePurgeSession.init, work)
        try await foldBackLog()
        return result
    }

    public func audit<T>(_ work: (any AuditSession) async throws -> T) async throws -> T {
        try await ConfinedConnection.read(pool) { connection in try await work(SQLiteAuditSession(connection)) }
    }

    public func operations<T>(_ work: (any OperationsSession) async throws -> T) async throws -> T {
        try await ConfinedConnection.read(pool) { connection in try await work(SQLiteOperationsSession(connection, lock: lock)) }
    }

    public func recordOperations<T>(_ work: (any OperationsRecorder) async throws -> T) async throws -> T {
        try await write(SQLiteOperationsRecorder.init, work)
    }

    public func lease<T>(_ work: (any LeaseSession) async throws -> T) async throws -> T {
        try await write({ SQLiteLeaseSession($0, lock: lock) }, work)
    }

    public func fenced(by token: Int64) -> any BridgeStore {
        SQLiteBridgeStore(pool: pool, path: path, lock: lock, fence: token)
    }

    public func refreshStatistics() async throws {}

    /// Folds a long log back before the connections close. GRDB closes the writer first, so
    /// the last connection to close is a read-only one, which cannot fold it back itself; the
    /// log stays behind, and the next process begins by reading all of it again: a second for
    /// the gigabyte a day's closing on ten million payments leaves. A log shorter than the
    /// automatic fold's size is left for that fold: reading it costs less than folding it at
    /// every exit.
    public func close() async {
        if Self.logSize(ofDatabaseAt: path) > Self.logFoldBytes { try? await foldBackLog() }
        lock.release()
        try? pool.close()
    }

    /// The automatic fold's size (`wal_autocheckpoint`), in pages of 4 KiB.
    static let logFoldPages = 16_384
    static let logFoldBytes = Int64(logFoldPages) * 4_096

    private static func logSize(ofDatabaseAt path: String) -> Int64 {
        var info = stat()
        return stat(path + "-wal", &info) == 0 ? Int64(info.st_size) : 0
    }

    /// One write transaction with a session; the session's trail rows are written before
    /// it commits, after the fencing check when the transaction books, allocates or
    /// publishes.
    private func write<Session: TrailWritingSession, T>(_ makeSession: (ConfinedConnection) -> Session, fenced: Bool = false,
                                                         _ work: (Session) async throws -> T) async throws -> T {
        let fence = fenced ? self.fence : nil
        return try await LostLease.refusing(fence, backend: Self.backend, stillHolds: stillHolds) {
            try await fencedWrite(fence, makeSession, work)
        }
    }

    /// Whether `token` is still the lease's.
    private func stillHolds(_ token: Int64) async throws -> Bool {
        do {
            return try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT token FROM lease WHERE id = 1") == token }
        } catch {
            throw SQLiteErrors.map(error)
        }
    }

    private func fencedWrite<Session: TrailWritingSession, T>(_ fence: Int64?, _ makeSession: (ConfinedConnection) -> Session,
                                                              _ work: (Session) async throws -> T) async throws -> T {
        try await ConfinedConnection.write(pool) { connection in
            let session = makeSession(connection)
            let result = try await work(session)
            let trail = session.trail
            try await connection.run { db in
                if let fence { try SQLiteLeaseSession.checkFence(db, token: fence) }
                try trail.flush(db)
            }
            return result
        }
    }

    /// Folds the write-ahead log back into the database file and empties it: so that personal
    /// data replaced by a purge does not linger there, and so that the next process to open the
    /// database finds no log to read.
    private func foldBackLog() async throws {
        do {
            try await pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = OFF")
                _ = try db.checkpoint(.truncate)
            }
        } catch {
            throw SQLiteErrors.map(error)
        }
    }
}

extension Instant {
    init(row value: Int) { self.init(millisecondsSinceEpoch: value) }
}
