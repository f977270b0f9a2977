/// Where the bridge keeps what it has taken in, allocated and exported, and the trail.
///
/// The rest of the bridge sees only these protocols. The embedded SQLite store serves a
/// single municipality's server; the PostgreSQL store serves a hosting centre, one schema
/// per municipality. Both give the same answers to the same calls, which the store's
/// conformance suite checks against each of them.
///
/// Each entry point is one database transaction, one per use case: everything `work` does
/// is committed together when it returns, or nothing is when it throws. Sessions are
/// valid only inside `work`. The read-only entry points see one consistent state of the
/// database for the whole of `work`. Failures reach the caller as ``StoreError``.
public protocol BridgeStore: Sendable {
    /// Booking kiosk files: one or more whole files per transaction.
    func intake<T>(_ work: (any IntakeSession) async throws -> T) async throws -> T
    /// One step of a cycle: allocating, preparing batches, recording a publication.
    func cycle<T>(_ work: (any CycleSession) async throws -> T) async throws -> T
    /// Reading a prepared batch's lines to render its file (read-only).
    func export<T>(_ work: (any ExportSession) async throws -> T) async throws -> T
    /// Loading a claims snapshot.
    func claims<T>(_ work: (any ClaimsSession) async throws -> T) async throws -> T
    /// A payment's story for the desk and `receipt` (read-only).
    func lookup<T>(_ work: (any LookupSession) async throws -> T) async throws -> T
    /// The desk's accounts and its access log.
    func desk<T>(_ work: (any DeskSession) async throws -> T) async throws -> T
    /// Pseudonymising old personal data. After the commit the backend also removes what it
    /// keeps of the replaced values on its own (SQLite's write-ahead log).
    func purge<T>(_ work: (any PurgeSession) async throws -> T) async throws -> T
    /// Walking the trail's hash chain (read-only).
    func audit<T>(_ work: (any AuditSession) async throws -> T) async throws -> T
    /// Reconciliation, status and metrics (read-only).
    func operations<T>(_ work: (any OperationsSession) async throws -> T) async throws -> T
    /// What reconciliation and alerting keep: day closings, the last alert level.
    func recordOperations<T>(_ work: (any OperationsRecorder) async throws -> T) async throws -> T
    /// The municipality's lease.
    func lease<T>(_ work: (any LeaseSession) async throws -> T) async throws -> T
    /// The same store, with every booking, allocation and publication (each `intake` and
    /// `cycle` transaction) checked against `token` before it commits: a holder whose token
    /// is no longer the lease's has the write refused with ``StoreError/Code/fenced``.
    func fenced(by token: Int64) -> any BridgeStore
    /// After a cycle that added many rows: brings the backend's picture of its tables up to
    /// date, so that the lookups right after a large day are planned on its rows, not on the
    /// day before's (PostgreSQL's ANALYZE; SQLite's statements name their indexes and it
    /// does nothing).
    func refreshStatistics() async throws
    /// Ends the store's connections. Calls after it fail.
    func close() async
}
