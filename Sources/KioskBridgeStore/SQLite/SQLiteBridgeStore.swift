import KioskBridgeCore
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The embedded store: one SQLite file in WAL mode, written with full fsync so that a
/// commit is on disk before the bridge moves the file it came from.
public final class SQLiteBridgeStore: BridgeStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`. The file is
    /// created readable by its owner only: it holds CPR numbers.
    public init(path: String, busyTimeoutSeconds: Double = 10) throws {
        self.path = path
        if access(path, F_OK) != 0 {
            let fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
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
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Schema.migrator.migrate(pool)
    }

    public func intake<T>(_ work: (any IntakeSession) throws -> T) throws -> T {
        try write(SQLiteIntakeSession.init, work)
    }

    public func cycle<T>(_ work: (any CycleSession) throws -> T) throws -> T {
        try write(SQLiteCycleSession.init, work)
    }

    public func claims<T>(_ work: (any ClaimsSession) throws -> T) throws -> T {
        try write(SQLiteClaimsSession.init, work)
    }

    public func read<T>(_ work: (any StoreReader) throws -> T) throws -> T {
        try pool.read { db in try work(SQLiteStoreReader(db)) }
    }

    public func desk<T>(_ work: (any DeskSession) throws -> T) throws -> T {
        try write(SQLiteDeskSession.init, work)
    }

    /// One write transaction with a session; the session's last run of trail rows is written
    /// before it commits.
    private func write<Session: TrailWritingSession, T>(_ makeSession: (Database) -> Session,
                                                         _ work: (Session) throws -> T) throws -> T {
        try pool.write { db in
            let session = makeSession(db)
            let result = try work(session)
            try session.trail.finish()
            return result
        }
    }

    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = OFF")
            _ = try db.checkpoint(.truncate)
        }
    }
}

/// How store errors read to an operator.
public enum StoreErrorDescription {
    /// True when another process holds the database (and waiting did not help).
    public static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    public static func isStoreError(_ error: any Error) -> Bool { error is DatabaseError }

    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DatabaseError else { return String(describing: error) }
        if isBusy(error) { return "the database is locked by another process (\(error.message ?? "busy"))" }
        return "database error \(error.resultCode): \(error.message ?? "")"
    }
}

extension Instant {
    init(row value: Int) { self.init(millisecondsSinceEpoch: value) }
}
