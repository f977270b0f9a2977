import KioskBridgeCore

/// Where the bridge keeps what it has taken in, allocated and exported, and the trail.
///
/// The rest of the bridge sees only these protocols: the embedded SQLite store
/// implements them for a single municipality's server, and a hosted deployment serving
/// many municipalities can implement them on PostgreSQL without touching the rules.
/// Each entry point is one database transaction: everything `work` does is committed
/// together, or nothing is when it throws.
public protocol BridgeStore: Sendable {
    /// One kiosk file's worth of booking.
    func intake<T>(_ work: (any IntakeSession) throws -> T) throws -> T
    /// One step of a cycle: allocating, preparing a batch, recording a publication.
    func cycle<T>(_ work: (any CycleSession) throws -> T) throws -> T
    /// Loading a claims snapshot.
    func claims<T>(_ work: (any ClaimsSession) throws -> T) throws -> T
    /// Lookups and reports; never writes.
    func read<T>(_ work: (any StoreReader) throws -> T) throws -> T
    /// The desk's accounts and its access log.
    func desk<T>(_ work: (any DeskSession) throws -> T) throws -> T
    /// Folds the write-ahead log back into the database file (after a purge, so that
    /// replaced personal data does not linger there).
    func checkpoint() throws
}
