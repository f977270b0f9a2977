public import KioskBridgeCore

/// Booking kiosk files. Every state change also writes its trail row.
///
/// A file's records are handed over in runs (a few thousand at a time), never one call
/// per record: on a network database each call is a round trip.
public protocol IntakeSession: AnyObject {
    /// A file recorded with a verdict but not yet moved out of `processing/`: the bridge
    /// stopped between the two steps, and only the move is left to do.
    func fileAwaitingMove(sha256: String, processingName: String) async throws -> StoredFile?
    /// The first accepted file with this content.
    func acceptedFile(sha256: String) async throws -> StoredFile?
    func acceptedFile(kioskID: KioskID, sequence: Int) async throws -> StoredFile?
    /// The highest sequence number accepted for the kiosk below `sequence`.
    func highestAcceptedSequence(kioskID: KioskID, below sequence: Int) async throws -> Int?

    /// One file of a transaction that books several: if `work` throws, everything it wrote
    /// (trail rows too) is undone and the files booked before it in the transaction stay,
    /// as a file's own transaction would have left them.
    func savepoint<T>(_ work: () async throws -> T) async throws -> T

    /// Records a file with its verdict (and its trail row); returns its id.
    func recordFile(_ file: NewFileRecord, cause: String) async throws -> RowID
    /// Records what an accepted file booked, with one trail row for its payments.
    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?, at: Instant) async throws
    /// Where the file went (archive or rejected), once it is there.
    func setStoredPath(fileID: RowID, path: String, at: Instant) async throws

    /// What is booked under these transaction ids of the kiosk, as payments or as voids.
    /// Ids not booked are absent from the answer.
    func knownTransactions(kioskID: KioskID, ids: Set<String>) async throws -> [String: KnownTransaction]
    /// Writes a run of judged records of one file: payments, voids (marking their payments
    /// voided, and taking back the allocation of a cancelled one), refused records and
    /// notes of resent ones, each with its trail row in file order.
    func book(_ bookings: FileBookings) async throws
}
