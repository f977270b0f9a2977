public import KioskBridgeCore

/// A row id in the store.
public typealias RowID = Int64

/// What became of a kiosk file.
public enum FileVerdict: String, Sendable {
    case accepted
    case rejected
    case duplicate
}

/// A kiosk file the store knows about.
public struct StoredFile: Sendable, Hashable {
    public let id: RowID
    public let name: String
    public let sha256: String
    public let kioskID: String?
    public let sequence: Int?
    public let verdict: FileVerdict
    public let storedPath: String?
    public let receivedAt: Instant
    public let reason: String?

    public init(id: RowID, name: String, sha256: String, kioskID: String?, sequence: Int?, verdict: FileVerdict,
                storedPath: String?, receivedAt: Instant, reason: String?) {
        self.id = id
        self.name = name
        self.sha256 = sha256
        self.kioskID = kioskID
        self.sequence = sequence
        self.verdict = verdict
        self.storedPath = storedPath
        self.receivedAt = receivedAt
        self.reason = reason
    }
}

/// A file about to be recorded.
public struct NewFileRecord: Sendable {
    public var name: String
    public var processingName: String
    public var sha256: String
    public var size: Int
    public var format: String
    public var encoding: String?
    public var header: KioskFileHeader?
    public var receivedAt: Instant
    public var verdict: FileVerdict
    public var duplicateOf: RowID?
    public var reasonCode: String?
    public var reason: String?

    public init(name: String, processingName: String, sha256: String, size: Int, format: String, encoding: String?,
                header: KioskFileHeader?, receivedAt: Instant, verdict: FileVerdict, duplicateOf: RowID? = nil,
                reasonCode: String? = nil, reason: String? = nil) {
        self.name = name
        self.processingName = processingName
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.encoding = encoding
        self.header = header
        self.receivedAt = receivedAt
        self.verdict = verdict
        self.duplicateOf = duplicateOf
        self.reasonCode = reasonCode
        self.reason = reason
    }
}

/// Counts of what one accepted file booked.
public struct FileTally: Sendable, Hashable {
    public var records = 0
    public var paymentsBooked = 0
    public var paymentsSum = Amount.zero
    public var voidsBooked = 0
    public var recordsRejected = 0
    public var rejectedSum = Amount.zero
    public var recordsDuplicate = 0

    public init() {}
}

/// What a void does to its payment.
public enum VoidEffect: String, Sendable {
    /// The payment had not been exported: neither goes to the debtor.
    case cancel
    /// The payment had been exported: a reversal goes out in the next export.
    case reversal
}

/// A payment waiting for allocation, in allocation order within its group.
public struct PendingPayment: Sendable {
    public let rowID: RowID
    public let key: AllocationOrder.PaymentKey
    public let amount: Amount

    public init(rowID: RowID, key: AllocationOrder.PaymentKey, amount: Amount) {
        self.rowID = rowID
        self.key = key
        self.amount = amount
    }
}

/// One payer's payments of one claim type, with that payer's open claims of that type.
public struct AllocationGroup: Sendable {
    public let payer: String
    public let claimType: String
    public let payments: [PendingPayment]
    /// Claims with their effective outstanding already worked out.
    public let claims: [AllocatableClaim]

    public init(payer: String, claimType: String, payments: [PendingPayment], claims: [AllocatableClaim]) {
        self.payer = payer
        self.claimType = claimType
        self.payments = payments
        self.claims = claims
    }
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
    public let afterPartID: RowID
    public let throughPartID: RowID
    public let state: State
    public let cycleID: RowID?
    /// When the file was delivered to the outbox: the cycle that prepared it, or a later one
    /// if the outbox could not be written then.
    public let publishedAt: Instant?

    public init(id: RowID, series: String, channel: PaymentChannel, sequence: Int, fileName: String, info: ExportBatchInfo,
                afterPartID: RowID, throughPartID: RowID, state: State, cycleID: RowID?, publishedAt: Instant? = nil) {
        self.id = id
        self.series = series
        self.channel = channel
        self.sequence = sequence
        self.fileName = fileName
        self.info = info
        self.afterPartID = afterPartID
        self.throughPartID = throughPartID
        self.state = state
        self.cycleID = cycleID
        self.publishedAt = publishedAt
    }
}

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
