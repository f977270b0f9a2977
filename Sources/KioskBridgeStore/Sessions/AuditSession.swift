/// Reading the trail's hash chain for `audit verify`. Read-only.
///
/// The checking itself is ``TrailVerifier``'s, the same for every backend, so `audit
/// verify` gives the same answer whichever database holds the trail.
public protocol AuditSession: AnyObject {
    /// Every trail row in id order, in runs of up to `chunk` rows.
    func forEachTrailRow(chunk: Int, _ body: ([TrailRow]) async throws -> Void) async throws
    /// The current end of the chain.
    func trailHead() async throws -> TrailHead?
    /// The chain hashes (hex) of the given trail rows.
    func chainHashes(of rows: [Int64]) async throws -> [Int64: String]
    /// Published batches with their archive copy and the chain head recorded with them.
    func archivedHeads() async throws -> [ArchivedHead]
}
