public import KioskBridgeCore

/// The steps of a cycle: allocating, preparing the export batches, recording their
/// publication. Every state change also writes its trail row.
public protocol CycleSession: FBSPartSession {
    func startCycle(at: Instant, command: String) async throws -> RowID
    func finishCycle(id: RowID, at: Instant, result: String, summaryJSON: String) async throws

    /// Gives every void of an exported payment its reversal parts (the payment's parts,
    /// negated), in the order of the voids. Returns how many voids were reversed.
    func createPendingReversals(cycleID: RowID, at: Instant) async throws -> Int
    /// The loaded claims snapshots (their as-of times decide what they reflect).
    func snapshots() async throws -> [StoredSnapshot]

    /// The payments awaiting allocation: those of the files booked since the last
    /// allocation that are not voided, taking whole files up to `paymentsPerCycle` payments
    /// (`PendingFiles`; the rest wait for the next cycle). They come in rounds of up to `payersPerRound` payers
    /// and `paymentsPerRound` payments (a payer with more goes on in the next round:
    /// `PendingGroup.continuesEarlier`), each payer's claim types as groups, with the
    /// evidence about the payer's claims. A payer's claims belong to no other payer, so the
    /// order of the payers does not matter. Allocations are written by `recordAllocations`
    /// while the rounds are read.
    func pendingPayments(payersPerRound: Int, paymentsPerRound: Int, paymentsPerCycle: Int) async throws -> any PendingPaymentRounds
    /// Keeps these payments' parts for `finishAllocation` (which writes them in the
    /// export's order, whatever order they come in).
    func recordAllocations(_ allocations: [PaymentAllocation], cycleID: RowID, at: Instant) async throws
    /// Writes the parts recorded in this cycle in the order their payments were paid, and
    /// takes the files whose payments were read off the pending list (one trail row for
    /// the cycle's allocation). Called once, after the last round.
    func finishAllocation(cycleID: RowID, at: Instant) async throws

    /// Makes sure a series exists; a series first seen now starts after what its channel
    /// has already exported, so adding a profile never re-exports history.
    func registerSeries(_ series: ExportSeries, at: Instant) async throws
    /// Batches committed but not yet recorded as published, oldest first.
    func preparedBatches() async throws -> [StoredBatch]
    /// Commits the next batch of `series`: every part of its channel allocated since its
    /// last batch. Nil when there is nothing and `includeEmpty` is false.
    func prepareBatch(series: ExportSeries, createdAt: Instant, cycleID: RowID, includeEmpty: Bool) async throws -> StoredBatch?
    /// Records the batch as delivered; its trail row speaks for every payment and reversal
    /// it carried. `cycleID` is the cycle that delivered it (its counts include the file);
    /// `anchor` the trail's chain head already kept beside the archived file.
    func markPublished(batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at: Instant,
                       cycleID: RowID?, anchor: TrailHead?) async throws
    /// Gives up a prepared batch that could not be made into a valid document: its parts
    /// become pending again and its sequence number is free. Only the newest batch of its
    /// series can be given up (an earlier one would leave a gap); returns false otherwise.
    @discardableResult
    func abandonBatch(_ batch: StoredBatch, reason: String, at: Instant) async throws -> Bool
    /// What the batches delivered by this cycle carried, each payment counted once.
    func exportedCounts(cycleID: RowID) async throws -> ExportedCounts
}

/// The pending payments of a cycle, read a round at a time.
public protocol PendingPaymentRounds: AnyObject {
    /// The booked files this pass leaves for the next cycle.
    var left: FilesLeft { get }
    /// The next round of groups, or nil after the last.
    func next() async throws -> [PendingGroup]?
}
