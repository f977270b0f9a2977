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

/// What the store holds under one of a kiosk's transaction ids, with what judging a
/// resend or a void needs to know about it.
public struct KnownTransaction: Sendable {
    /// What the id was booked as; the source says where ("KIOSK-0042_....csv line 4").
    public let booked: BookedTransaction
    /// Set when the id is a booked payment: its row and state, for a void that names it.
    public let payment: StoredPaymentState?

    public init(booked: BookedTransaction, payment: StoredPaymentState?) {
        self.booked = booked
        self.payment = payment
    }
}

/// A booked payment's state, as a void of it is judged.
public struct StoredPaymentState: Sendable {
    public let rowID: RowID
    public let target: VoidTarget

    public init(rowID: RowID, target: VoidTarget) {
        self.rowID = rowID
        self.target = target
    }
}

/// What judging a run of one file's records decided, to be written in one call.
///
/// The judge (Runtime) reads a run of records, asks the store once what it knows of their
/// ids, decides each record by the rules of kiosk-file.md, and hands the decisions over
/// here; the store never judges. Each list is in file order.
public struct FileBookings: Sendable {
    public var fileID: RowID
    public var at: Instant
    public var payments: [NewPayment] = []
    public var voids: [NewVoid] = []
    public var rejected: [RejectedRecord] = []
    public var duplicates: [DuplicateRecord] = []

    public init(fileID: RowID, at: Instant) {
        self.fileID = fileID
        self.at = at
    }

    public var isEmpty: Bool { payments.isEmpty && voids.isEmpty && rejected.isEmpty && duplicates.isEmpty }
}

/// A payment to book.
public struct NewPayment: Sendable {
    public let record: PaymentRecord
    public let kioskID: KioskID
    public let location: String
    public let debtorClaimType: String
    public let line: Int

    public init(record: PaymentRecord, kioskID: KioskID, location: String, debtorClaimType: String, line: Int) {
        self.record = record
        self.kioskID = kioskID
        self.location = location
        self.debtorClaimType = debtorClaimType
        self.line = line
    }
}

/// A void to book, and what it does to its payment.
public struct NewVoid: Sendable {
    /// The payment it cancels: one already stored, or one booked in the same call.
    public enum Target: Sendable, Hashable {
        case stored(RowID)
        /// The payment at this index of the same call's `payments`.
        case booked(index: Int)
    }

    public let record: VoidRecord
    public let kioskID: KioskID
    public let target: Target
    public let effect: VoidEffect
    public let line: Int

    public init(record: VoidRecord, kioskID: KioskID, target: Target, effect: VoidEffect, line: Int) {
        self.record = record
        self.kioskID = kioskID
        self.target = target
        self.effect = effect
        self.line = line
    }
}

/// A record refused at intake, alone or with its whole file. Its text is already bounded
/// (the runtime cuts what a kiosk wrote before it gets here).
public struct RejectedRecord: Sendable {
    public let summary: RecordSummary
    public let problem: IntakeProblem
    public let kioskID: String?
    public let wholeFile: Bool

    public init(summary: RecordSummary, problem: IntakeProblem, kioskID: String?, wholeFile: Bool) {
        self.summary = summary
        self.problem = problem
        self.kioskID = kioskID
        self.wholeFile = wholeFile
    }
}

/// A record sent again with the content already booked: ignored, with a note.
public struct DuplicateRecord: Sendable {
    public let kioskID: KioskID
    public let transactionID: String
    public let line: Int

    public init(kioskID: KioskID, transactionID: String, line: Int) {
        self.kioskID = kioskID
        self.transactionID = transactionID
        self.line = line
    }
}
