public import KioskBridgeCore

/// The queries behind reconciliation, status and metrics. Read-only.
public protocol OperationsSession: AnyObject {
    /// Running totals since the bridge started: counters that only grow.
    func runningTotals() async throws -> RunningTotals
    /// Payments the kiosks took in [from, to).
    func dayPayments(from: Instant, to: Instant) async throws -> [DayPayment]
    /// Refused payment records the kiosks took in [from, to) (when the time is unreadable: refused then).
    func dayRejectedRecords(from: Instant, to: Instant) async throws -> [DayRejectedRecord]
    /// For payments taken in [from, to): what each published export file carried of them, per kiosk.
    func exportedShares(from: Instant, to: Instant) async throws -> [ExportedShare]
    /// The receipt numbers a kiosk printed for payments taken in [from, to), booked or refused.
    func dayReceipts(kioskID: String, from: Instant, to: Instant) async throws -> [String]
    /// The kiosks that sent a file before `instant` (cheap: for deciding whether a day's
    /// closing figures are all recorded before summing everything).
    func kiosksWithFiles(before instant: Instant) async throws -> Set<String>
    /// Per kiosk: the sum of payment records (booked or refused) taken before `instant`.
    func receivedBefore(_ instant: Instant) async throws -> [String: Amount]
    /// ``receivedBefore(_:)`` in parts, reading only what came after `mark` when one is given.
    func receivedTally(before instant: Instant, continuing mark: PaymentsMark?) async throws -> ReceivedTally
    /// Per kiosk: what went to the debtor system of payments and voids taken in [from, to),
    /// and how much of it a DEBTOR snapshot has confirmed.
    func confirmedShares(from: Instant, to: Instant) async throws -> [ConfirmedShare]
    /// The exports of payments and voids taken in [from, to) that no snapshot has confirmed,
    /// oldest export first, at most `limit`.
    func unconfirmedExports(from: Instant, to: Instant, limit: Int) async throws -> [UnconfirmedExport]
    /// The parts on old fees (the `fbs` mode) of payments taken in [from, to), per kiosk and
    /// oldest payment first.
    func dayFBSParts(from: Instant, to: Instant) async throws -> [DayFBSPart]
    /// The tills' closes of `date`, the latest of each till.
    func tillCloses(date: LocalDate) async throws -> [TillClose]
    /// The parts on old fees still waiting for FBS.
    func fbsBacklog() async throws -> FBSBacklog
    /// The exports made before `instant` that no snapshot has confirmed.
    func overdueConfirmations(exportedBefore instant: Instant) async throws -> OverdueConfirmations
    func dayClosings(date: LocalDate) async throws -> [DayClosing]
    /// The closings of the latest day before `date` that has any.
    func latestDayClosings(before date: LocalDate) async throws -> [DayClosing]
    /// Kiosk files received in [from, to).
    func kioskFiles(from: Instant, to: Instant) async throws -> [KioskFileView]
    func lastCycle() async throws -> CycleView?
    func unpublishedBatches() async throws -> [StoredBatch]
    func publishedFiles(since: Instant) async throws -> [PublishedFileView]
    /// Per kiosk, when its accepted files arrived, since `since`, oldest first.
    func kioskArrivals(since: Instant) async throws -> [String: [Instant]]
    func alertState() async throws -> AlertState?
    /// Sequence numbers missing between a kiosk's accepted files.
    func sequenceGaps() async throws -> [SequenceGap]
    func snapshots() async throws -> [StoredSnapshot]
    /// Who holds the lease, and the standbys seen lately.
    func leaseState() async throws -> LeaseState
}

/// What reconciliation and alerting keep between runs.
public protocol OperationsRecorder: AnyObject {
    /// Keeps a kiosk's closing figure for a finished day (once; later calls keep the first).
    func recordDayClosing(_ closing: DayClosing) async throws
    /// The status level the alerting acted on (with its trail row).
    func setAlertState(_ state: AlertState) async throws
}
