public import KioskBridgeCore

/// Booking kiosk files. Every state change also writes its trail row.
///
/// A file's records are handed over in runs (a few thousand at a time), never one call
/// per record: on a network database each call is a round trip.
public protocol IntakeSession: AnyObject {
    /// A file recorded with a verdict but not yet moved out of `processing/`: the bridge
    /// stopped between the two steps, and only the move is left to do.
    func fileAwaitingMove(sha256: String, processingName: String) async throws -> StoredFile?
    /// What the accepted files say about a new file with this content and, when its header
    /// could be read, this kiosk and sequence number: asked once per file, a network round
    /// trip rather than three.
    func fileHistory(sha256: String, sequence: FileHistory.Sequence?) async throws -> FileHistory

    /// One file of a transaction that books several: if `work` throws, everything it wrote
    /// (trail rows too) is undone and the files booked before it in the transaction stay,
    /// as a file's own transaction would have left them.
    func savepoint<T>(_ work: () async throws -> T) async throws -> T

    /// Records a file with its verdict (and its trail row); returns its id.
    func recordFile(_ file: NewFileRecord, cause: String) async throws -> RowID
    /// Records what an accepted file booked, with one trail row for its payments.
    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?, at: Instant) async throws
    /// Where each file of a run went (archive or rejected), once they are there: one call
    /// for the run, so that fifty files are one statement rather than fifty.
    func setStoredPaths(_ files: [(fileID: RowID, path: String)], at: Instant) async throws

    /// What is booked under these transaction ids of the kiosk, as payments or as voids.
    /// Ids not booked are absent from the answer.
    func knownTransactions(kioskID: KioskID, ids: Set<String>) async throws -> [String: KnownTransaction]
    /// Writes a run of judged records of one file: payments, voids (marking their payments
    /// voided, and taking back the allocation of a cancelled one), refused records and
    /// notes of resent ones, each with its trail row in file order.
    func book(_ bookings: FileBookings) async throws
}

extension IntakeSession {
    /// The first accepted file with this content.
    public func acceptedFile(sha256: String) async throws -> StoredFile? {
        try await fileHistory(sha256: sha256, sequence: nil).sameContent
    }
}
