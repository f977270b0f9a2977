import Foundation
import KioskBridgeCore
public import KioskBridgeStore
import Logging
import PostgresNIO

/// The hosted store: one schema of a PostgreSQL database per municipality.
///
/// Each session is one transaction on a connection of its own: the writing sessions in
/// READ COMMITTED with a lock timeout (a lock held too long is ``StoreError/Code/busy``),
/// the reading ones in REPEATABLE READ READ ONLY, so that one session sees one state.
/// Nothing outlives a transaction on its connection (no `SET`, no session advisory lock,
/// no temporary table beyond `ON COMMIT DROP`), so a pooler in transaction mode may sit
/// in front of the server.
public final class PostgresBridgeStore: BridgeStore {
    public static let backend = "PostgreSQL"

    public let settings: PostgresSettings
    let connections: PostgresConnections
    let logger: Logger
    /// The lease token every intake and cycle transaction is checked against (nil: none).
    let fence: Int64?

    private init(settings: PostgresSettings, logger: Logger, connections: PostgresConnections, fence: Int64?) {
        self.settings = settings
        self.logger = logger
        self.connections = connections
        self.fence = fence
    }

    /// Connects, creates the schema if it does not exist and brings it up to date.
    public convenience init(settings: PostgresSettings, logger: Logger = Logger(label: "kioskbridge.postgres")) async throws {
        self.init(settings: settings, logger: logger, connections: PostgresConnections(settings: settings, logger: logger), fence: nil)
        if try await read({ try await PostgresSchema.isUpToDate($0) }) { return }
        try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { transaction in
            try await self.limitWaits(transaction)
            try await PostgresSchema.migrate(transaction)
        }
    }

    /// How long this transaction may wait for another's lock, and sit idle itself: a bridge
    /// paused in the middle of a transaction must not hold anyone up for longer than its lease.
    /// One statement sets them all (`set_config(..., true)` is `SET LOCAL`): every write
    /// transaction begins with it, and each statement is a round trip.
    private func limitWaits(_ transaction: PostgresTransaction) async throws {
        var limits = [("lock_timeout", Int(max(0, settings.lockTimeoutSeconds) * 1000))]
        if let idle = settings.idleTransactionTimeoutSeconds { limits.append(("idle_in_transaction_session_timeout", idle * 1000)) }
        if let statement = settings.statementTimeoutSeconds { limits.append(("statement_timeout", statement * 1000)) }
        let calls = limits.map { name, milliseconds in "set_config('\(name)', '\(milliseconds)', true)" }
        try await transaction.execute(PostgresQuery(unsafeSQL: "SELECT " + calls.joined(separator: ", ")))
    }

    public func intake<T>(_ work: (any IntakeSession) async throws -> T) async throws -> T {
        try await write(PostgresIntakeSession.init, fenced: true, work)
    }

    public func cycle<T>(_ work: (any CycleSession) async throws -> T) async throws -> T {
        try await write(PostgresCycleSession.init, fenced: true, work)
    }

    public func export<T>(_ work: (any ExportSession) async throws -> T) async throws -> T {
        try await read { transaction in try await work(PostgresExportSession(transaction)) }
    }

    public func claims<T>(_ work: (any ClaimsSession) async throws -> T) async throws -> T {
        try await write(PostgresClaimsSession.init, work)
    }

    public func lookup<T>(_ work: (any LookupSession) async throws -> T) async throws -> T {
        try await read { transaction in try await work(PostgresLookupSession(transaction)) }
    }

    public func desk<T>(_ work: (any DeskSession) async throws -> T) async throws -> T {
        try await write(PostgresDeskSession.init, work)
    }

    public func purge<T>(_ work: (any PurgeSession) async throws -> T) async throws -> T {
        let result = try await write(PostgresPurgeSession.init, work)
        try await reclaimReplacedValues()
        return result
    }

    public func audit<T>(_ work: (any AuditSession) async throws -> T) async throws -> T {
        try await read { transaction in try await work(PostgresAuditSession(transaction)) }
    }

    public func operations<T>(_ work: (any OperationsSession) async throws -> T) async throws -> T {
        try await read { transaction in try await work(PostgresOperationsSession(transaction)) }
    }

    /// Not fenced (a standby's `status` records alert levels too), but a holder's recording
    /// that fails after it lost the lease is refused as the lost lease, as its reads are.
    public func recordOperations<T>(_ work: (any OperationsRecorder) async throws -> T) async throws -> T {
        try await LostLease.refusing(fence, backend: Self.backend, stillHolds: stillHolds) {
            try await write(PostgresOperationsRecorder.init, work)
        }
    }

    public func lease<T>(_ work: (any LeaseSession) async throws -> T) async throws -> T {
        try await write(PostgresLeaseSession.init, work)
    }

    public func fenced(by token: Int64) -> any BridgeStore {
        PostgresBridgeStore(settings: settings, logger: logger, connections: connections, fence: token)
    }

    public func close() async {
        await connections.close()
    }

    /// One write transaction with a session; the session's trail rows are written before
    /// it commits, after the fencing check when the transaction books, allocates or
    /// publishes.
    private func write<Session: PostgresTrailSession, T>(_ makeSession: (PostgresTransaction) -> Session, fenced: Bool = false,
                                                         _ work: (Session) async throws -> T) async throws -> T {
        let fence = fenced ? self.fence : nil
        return try await LostLease.refusing(fence, backend: Self.backend, stillHolds: stillHolds) {
            try await fencedWrite(fence, makeSession, work)
        }
    }

    /// Whether `token` is still the lease's.
    private func stillHolds(_ token: Int64) async throws -> Bool {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { transaction in
            try await transaction.row("SELECT token FROM §lease WHERE id = 1")?.int64("token") == token
        }
    }

    private func fencedWrite<Session: PostgresTrailSession, T>(_ fence: Int64?, _ makeSession: (PostgresTransaction) -> Session,
                                                               _ work: (Session) async throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { transaction in
            try await limitWaits(transaction)
            let session = makeSession(transaction)
            let result = try await work(session)
            if let fence { try await PostgresLeaseSession.checkFence(transaction, token: fence) }
            try await session.trail.flush(transaction)
            return result
        }
    }

    /// One read-only transaction on one state of the database.
    /// A read of a lease holder's store (fenced) that fails because the holder was paused past
    /// its lease, and the server ended its idle transaction, is the lost lease too: the new
    /// holder works on, and this one is refused (exit 75) rather than reporting a broken
    /// database (exit 74).
    private func read<T>(_ work: (PostgresTransaction) async throws -> T) async throws -> T {
        try await LostLease.refusing(fence, backend: Self.backend, stillHolds: stillHolds) {
            try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", work)
        }
    }

    func transaction<T>(begin: PostgresQuery, _ work: (PostgresTransaction) async throws -> T) async throws -> T {
        do {
            return try await connections.with { connection in
                let transaction = PostgresTransaction(connection, settings: settings, logger: logger)
                try await transaction.execute(begin)
                let result: T
                do {
                    result = try await work(transaction)
                } catch {
                    try? await transaction.execute("ROLLBACK")
                    throw error
                }
                try await transaction.execute("COMMIT")
                return result
            }
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    public func refreshStatistics() async throws {
        do {
            try await connections.with { connection in
                let transaction = PostgresTransaction(connection, settings: settings, logger: logger)
                try await transaction.execute("ANALYZE §payment, §void, §allocation_part, §kiosk_file, §trail, §debtor_export")
            }
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// Old row versions holding the replaced CPR numbers are removed by VACUUM; the bridge
    /// asks for it at once instead of waiting for autovacuum.
    private func reclaimReplacedValues() async throws {
        try await connections.with { connection in
            let transaction = PostgresTransaction(connection, settings: settings, logger: logger)
            try await transaction.execute("VACUUM §payment, §rejected_record")
        }
    }
}
