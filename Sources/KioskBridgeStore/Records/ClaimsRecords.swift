public import KioskBridgeCore

/// A loaded claims snapshot.
public struct StoredSnapshot: Sendable, Hashable {
    public let source: ClaimSource
    public let asOf: Instant
    public let loadedAt: Instant
    public let fileName: String
    public let claims: Int
    public let outstanding: Amount
    public let appliedRecords: Int

    public init(source: ClaimSource, asOf: Instant, loadedAt: Instant, fileName: String, claims: Int, outstanding: Amount,
                appliedRecords: Int) {
        self.source = source
        self.asOf = asOf
        self.loadedAt = loadedAt
        self.fileName = fileName
        self.claims = claims
        self.outstanding = outstanding
        self.appliedRecords = appliedRecords
    }
}

/// A claim of a snapshot with the line it was read from.
public struct SnapshotClaim: Sendable, Hashable {
    public let claim: Claim
    public let line: Int

    public init(claim: Claim, line: Int) {
        self.claim = claim
        self.line = line
    }
}
