public import KioskBridgeCore

/// A trail row as it is stored: what happened, and the two hashes that chain it to the
/// rows before it.
public struct TrailRow: Sendable, Hashable {
    public let id: Int64
    public let entry: TrailRowContent
    /// SHA-256 of ``TrailChain/content(id:_:)``.
    public let contentHash: [UInt8]
    /// SHA-256 of the previous row's chain hash and this row's content hash.
    public let chainHash: [UInt8]

    public init(id: Int64, entry: TrailRowContent, contentHash: [UInt8], chainHash: [UInt8]) {
        self.id = id
        self.entry = entry
        self.contentHash = contentHash
        self.chainHash = chainHash
    }
}

/// What a trail row says, before it has an id and hashes.
public struct TrailRowContent: Sendable, Hashable {
    public let at: Instant
    /// What changed: "file", "payment", "void", "record", "batch", "cycle", "snapshot", ...
    public let subject: String
    public let subjectID: Int64
    /// The last subject of a row that speaks for a run of them (`subjectID` ... `through`);
    /// written by versions before runs were replaced by explicit membership, read still.
    public let through: Int64?
    public let event: String
    public let cause: String
    public let file: Int64?
    public let batch: Int64?
    public let cycle: Int64?

    public init(at: Instant, subject: String, subjectID: Int64, through: Int64? = nil, event: String, cause: String,
                file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) {
        self.at = at
        self.subject = subject
        self.subjectID = subjectID
        self.through = through
        self.event = event
        self.cause = cause
        self.file = file
        self.batch = batch
        self.cycle = cycle
    }
}

/// A published batch's archive copy and the chain head recorded when it was exported.
public struct ArchivedHead: Sendable, Hashable {
    public let archivePath: String
    public let head: TrailHead

    public init(archivePath: String, head: TrailHead) {
        self.archivePath = archivePath
        self.head = head
    }
}
