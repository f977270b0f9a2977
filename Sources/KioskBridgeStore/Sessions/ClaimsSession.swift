public import KioskBridgeCore

/// Loading a claims snapshot: the source's claims are replaced as a whole.
public protocol ClaimsSession: AnyObject {
    func currentSnapshot(source: ClaimSource) async throws -> StoredSnapshot?
    /// Removes the source's claims and applied records, ready for the new snapshot.
    func beginReplacing(_ header: ClaimsSnapshotHeader) async throws
    /// Adds a run of the snapshot's claims, in file order.
    func insertClaims(_ claims: [SnapshotClaim]) async throws
    /// Adds a run of the snapshot's applied-payment records.
    func insertApplied(_ applied: [AppliedTransaction], source: ClaimSource) async throws
    /// Finishes the load: the snapshot's own row and its trail row. When a claim id was
    /// listed twice in the snapshot, nothing is finished and the second listing is
    /// returned (the caller refuses the snapshot and the transaction is rolled back).
    func finishReplacing(_ snapshot: StoredSnapshot, sha256: String, at: Instant) async throws -> SnapshotClaim?
    /// Marks the exports to the debtor system that this DEBTOR snapshot, just loaded, is the
    /// first to reflect (allocation.md's rule) as confirmed by it, with one trail row.
    func confirmExports(by snapshot: StoredSnapshot, at: Instant) async throws -> ConfirmationTally
}
