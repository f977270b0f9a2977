public import KioskBridgeCore

/// A payment waiting for allocation, in allocation order within its group.
public struct PendingPayment: Sendable {
    public let rowID: RowID
    public let key: AllocationOrder.PaymentKey
    public let amount: Amount
    /// Not a new payment but parts of an allocated one that FBS would not take, to be
    /// allocated again (`amount` is theirs); empty for a new payment.
    public let reallocating: [ReleasedFBSPart]
    /// The position of the allocation's first part: after the payment's parts so far.
    public let firstPosition: Int

    public init(rowID: RowID, key: AllocationOrder.PaymentKey, amount: Amount, reallocating: [ReleasedFBSPart] = [],
                firstPosition: Int = 1) {
        self.rowID = rowID
        self.key = key
        self.amount = amount
        self.reallocating = reallocating
        self.firstPosition = firstPosition
    }
}

/// What the store knows that bears on one claim's effective outstanding.
public struct ClaimEvidence: Sendable {
    public let claim: Claim
    public let bridgeParts: [EffectiveOutstanding.BridgePart]

    public init(claim: Claim, bridgeParts: [EffectiveOutstanding.BridgePart]) {
        self.claim = claim
        self.bridgeParts = bridgeParts
    }

    /// The payers whose earlier parts a store reads as the evidence on `claims`: each payer
    /// of a claim once, in the order of first appearance. A payer without a claim has no part
    /// on one, and looking up the earlier payments of each such payer reads pages all over
    /// the payments' payer index (docs/performance.md).
    public static func payers(of claims: [Claim]) -> [String] {
        var seen = Set<String>()
        return claims.map(\.payer.digits).filter { seen.insert($0).inserted }
    }
}

/// One payer's pending payments of one claim type and the evidence about their claims.
public struct PendingGroup: Sendable {
    public let payer: String
    public let claimType: String
    /// In the order the payer's payments were paid.
    public let payments: [PendingPayment]
    /// The payer's claims of that type; a claim id listed by both sources is the debtor's.
    public let claims: [ClaimEvidence]
    /// The round before ended inside these payments (PendingRound): they go on over the
    /// claims as that round's last group left them, not over `claims` afresh.
    public let continuesEarlier: Bool

    public init(payer: String, claimType: String, payments: [PendingPayment], claims: [ClaimEvidence],
                continuesEarlier: Bool = false) {
        self.payer = payer
        self.claimType = claimType
        self.payments = payments
        self.claims = claims
        self.continuesEarlier = continuesEarlier
    }
}

/// A payment's allocation, to be written with the cycle's others.
public struct PaymentAllocation: Sendable {
    public let payment: PendingPayment
    public let parts: [AllocationPart]
    /// In the `fbs` mode, how each part on an old fee reaches FBS, by its index in `parts`
    /// plus one.
    public let fbs: [Int: FBSPartPlan]

    public init(payment: PendingPayment, parts: [AllocationPart], fbs: [Int: FBSPartPlan] = [:]) {
        self.payment = payment
        self.parts = parts
        self.fbs = fbs
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

/// An export profile as the store tracks it: a named series of files for one channel.
public struct ExportSeries: Sendable, Hashable {
    /// Stable name of the series (the profile's name, or `fbs-worklist`).
    public let name: String
    public let channel: PaymentChannel
    public let prefix: String
    public let fileExtension: String

    public init(name: String, channel: PaymentChannel, prefix: String, fileExtension: String) {
        self.name = name
        self.channel = channel
        self.prefix = prefix
        self.fileExtension = fileExtension
    }
}

/// An export batch: a numbered file of one series.
///
/// The store records which allocations a batch carries (every part of its channel
/// allocated in the cycles it took up), so a batch never depends on the order in which a
/// database hands out row ids.
public struct StoredBatch: Sendable, Hashable {
    public enum State: String, Sendable {
        /// Committed to be published with exactly these lines; not yet confirmed in the outbox.
        case prepared
        case published
    }

    public let id: RowID
    public let series: String
    public let channel: PaymentChannel
    public let sequence: Int
    public let fileName: String
    public let info: ExportBatchInfo
    public let state: State
    public let cycleID: RowID?
    /// When the file was delivered to the outbox: the cycle that prepared it, or a later one
    /// if the outbox could not be written then.
    public let publishedAt: Instant?

    public init(id: RowID, series: String, channel: PaymentChannel, sequence: Int, fileName: String, info: ExportBatchInfo,
                state: State, cycleID: RowID?, publishedAt: Instant? = nil) {
        self.id = id
        self.series = series
        self.channel = channel
        self.sequence = sequence
        self.fileName = fileName
        self.info = info
        self.state = state
        self.cycleID = cycleID
        self.publishedAt = publishedAt
    }
}

/// The booked files a cycle left for the next one, and the payments in them.
public struct FilesLeft: Sendable, Equatable {
    public let files: Int
    public let payments: Int

    public init(files: Int, payments: Int) {
        self.files = files
        self.payments = payments
    }
}
