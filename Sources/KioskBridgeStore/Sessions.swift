public import KioskBridgeCore

/// Booking one kiosk file. Every state change also writes its trail row.
public protocol IntakeSession: AnyObject {
    /// A file recorded with a verdict but not yet moved out of `processing/`: the bridge
    /// stopped between the two steps, and only the move is left to do.
    func fileAwaitingMove(sha256: String, processingName: String) throws -> StoredFile?
    func acceptedFile(sha256: String) throws -> StoredFile?
    func acceptedFile(kioskID: KioskID, sequence: Int) throws -> StoredFile?
    /// The highest sequence number accepted for the kiosk below `sequence`.
    func highestAcceptedSequence(kioskID: KioskID, below sequence: Int) throws -> Int?

    func recordFile(_ file: NewFileRecord, cause: String) throws -> RowID
    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?) throws
    func setStoredPath(fileID: RowID, path: String, at: Instant) throws

    func bookedTransaction(kioskID: KioskID, transactionID: String) throws -> BookedTransaction?
    func bookPayment(_ payment: PaymentRecord, debtorClaimType: String, kioskID: KioskID, location: String,
                     fileID: RowID, line: Int, at: Instant) throws -> RowID
    func voidTarget(kioskID: KioskID, transactionID: String) throws -> (payment: RowID, target: VoidTarget)?
    func bookVoid(_ void: VoidRecord, kioskID: KioskID, payment: RowID, effect: VoidEffect,
                  fileID: RowID, line: Int, at: Instant) throws
    func recordRejectedRecord(_ summary: RecordSummary, problem: IntakeProblem, kioskID: String?, fileID: RowID,
                              wholeFile: Bool, at: Instant) throws
    func noteDuplicateRecord(kioskID: KioskID, transactionID: String, fileID: RowID, line: Int, at: Instant) throws
}

/// What the store knows that bears on one claim's effective outstanding.
public struct ClaimEvidence: Sendable {
    public let claim: Claim
    public let bridgeParts: [EffectiveOutstanding.BridgePart]

    public init(claim: Claim, bridgeParts: [EffectiveOutstanding.BridgePart]) {
        self.claim = claim
        self.bridgeParts = bridgeParts
    }
}

/// One payer's pending payments of one claim type and the evidence about their claims.
public struct PendingGroup: Sendable {
    public let payer: String
    public let claimType: String
    public let payments: [PendingPayment]
    public let claims: [ClaimEvidence]

    public init(payer: String, claimType: String, payments: [PendingPayment], claims: [ClaimEvidence]) {
        self.payer = payer
        self.claimType = claimType
        self.payments = payments
        self.claims = claims
    }
}

/// Counts of what a cycle's batches carried.
public struct ExportedCounts: Sendable, Hashable {
    public var payments = 0
    public var reversals = 0
    public var surplusPayments = 0
    public var surplusSum = Amount.zero

    public init() {}
}

/// The steps of a cycle.
public protocol CycleSession: AnyObject {
    func startCycle(at: Instant, command: String) throws -> RowID
    func finishCycle(id: RowID, at: Instant, result: String, summaryJSON: String) throws

    /// Gives every void of an exported payment its reversal parts (the payment's parts,
    /// negated). Returns how many voids were reversed.
    func createPendingReversals(cycleID: RowID, at: Instant) throws -> Int

    /// Every payment awaiting allocation, one payer's claim type at a time, payers in a fixed
    /// order, each group with the evidence about the payer's claims of that type. Evidence is
    /// fetched for `payersPerRound` payers at a time. Parts recorded in `body` are written by
    /// `finishAllocation`; a payer's claims belong to no other payer, so the order of payers
    /// does not matter.
    func forEachPendingGroup(payersPerRound: Int, _ body: (PendingGroup) throws -> Void) throws
    func recordAllocation(payment: PendingPayment, parts: [AllocationPart], cycleID: RowID, at: Instant) throws
    /// Writes the parts recorded in this cycle, in the order their payments were paid (that
    /// is the export's order), and takes every payment booked so far off the pending list.
    /// Called once, after the last `recordAllocation`.
    func finishAllocation(cycleID: RowID, at: Instant) throws

    /// Makes sure a series exists; a series first seen now starts after what its channel
    /// has already exported, so adding a profile never re-exports history.
    func registerSeries(_ series: ExportSeries, at: Instant) throws
    func preparedBatches() throws -> [StoredBatch]
    /// Commits the next batch of `series`: every part of its channel not yet in one of
    /// its batches. Nil when there is nothing and `includeEmpty` is false.
    func prepareBatch(series: ExportSeries, createdAt: Instant, cycleID: RowID, includeEmpty: Bool) throws -> StoredBatch?
    /// Records the batch as delivered, with a trail row per payment it carried. `cycleID` is
    /// the cycle that delivered it (its counts include the file); `anchor` the trail's chain
    /// head already kept beside the archived file.
    func markPublished(batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at: Instant,
                       cycleID: RowID?, anchor: TrailHead?) throws
    /// Gives up a prepared batch that could not be made into a valid document: its parts
    /// become pending again and its sequence number is free. Only the newest batch of its
    /// series can be given up (an earlier one would leave a gap); returns false otherwise.
    @discardableResult
    func abandonBatch(_ batch: StoredBatch, reason: String, at: Instant) throws -> Bool
    func exportedCounts(cycleID: RowID) throws -> ExportedCounts

    func snapshots() throws -> [StoredSnapshot]

    /// Replaces the CPR numbers of payments (and refused records) exported, or last
    /// touched, before `cutoff` with a keyed hash. Amounts, ids and the trail stay as they are.
    func pseudonymise(before cutoff: Instant, pseudonym: (String) -> String, at: Instant) throws -> PurgeResult
    /// The archived and refused files (and export copies) from before `cutoff`.
    func purgeableFiles(before cutoff: Instant) throws -> PurgeableFiles
    func notePurge(_ text: String, at: Instant) throws

    /// Keeps a kiosk's closing figure for a finished day (once; later calls keep the first).
    func recordDayClosing(_ closing: DayClosing) throws
    func setAlertState(_ state: AlertState) throws
}

/// Loading a claims snapshot.
public protocol ClaimsSession: AnyObject {
    func currentSnapshot(source: ClaimSource) throws -> StoredSnapshot?
    /// Removes the source's claims and applied records, ready for the new snapshot.
    func beginReplacing(_ header: ClaimsSnapshotHeader) throws
    /// False when the snapshot already listed this claim id.
    func insertClaim(_ claim: Claim) throws -> Bool
    func insertApplied(_ applied: AppliedTransaction, source: ClaimSource) throws
    func finishReplacing(_ snapshot: StoredSnapshot, sha256: String, at: Instant) throws
}
