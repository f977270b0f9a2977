public import KioskBridgeCore

/// A booked payment with what the desk needs to tell its story.
public struct PaymentView: Sendable, Hashable {
    public let rowID: RowID
    public let kioskID: String
    public let location: String
    public let transactionID: String
    public let receipt: String
    public let paidAt: Instant
    public let payerDigits: String
    public let payerIsCompany: Bool
    public let claimType: String
    public let amount: Amount
    public let tender: String
    public let operatorID: String?
    public let bookedAt: Instant
    public let fileName: String
    public let fileReceivedAt: Instant
    public let line: Int
    public let voided: VoidView?

    public init(rowID: RowID, kioskID: String, location: String, transactionID: String, receipt: String, paidAt: Instant,
                payerDigits: String, payerIsCompany: Bool, claimType: String, amount: Amount, tender: String,
                operatorID: String?, bookedAt: Instant, fileName: String, fileReceivedAt: Instant, line: Int, voided: VoidView?) {
        self.rowID = rowID
        self.kioskID = kioskID
        self.location = location
        self.transactionID = transactionID
        self.receipt = receipt
        self.paidAt = paidAt
        self.payerDigits = payerDigits
        self.payerIsCompany = payerIsCompany
        self.claimType = claimType
        self.amount = amount
        self.tender = tender
        self.operatorID = operatorID
        self.bookedAt = bookedAt
        self.fileName = fileName
        self.fileReceivedAt = fileReceivedAt
        self.line = line
        self.voided = voided
    }
}

/// The void that cancelled or reversed a payment.
public struct VoidView: Sendable, Hashable {
    public let voidID: String
    public let voidedAt: Instant
    public let reason: String?
    public let effect: VoidEffect
    public let bookedAt: Instant
    public let fileName: String

    public init(voidID: String, voidedAt: Instant, reason: String?, effect: VoidEffect, bookedAt: Instant, fileName: String) {
        self.voidID = voidID
        self.voidedAt = voidedAt
        self.reason = reason
        self.effect = effect
        self.bookedAt = bookedAt
        self.fileName = fileName
    }
}

/// An allocated (or reversed) part as stored.
public struct StoredPart: Sendable, Hashable {
    public let id: RowID
    public let part: AllocationPart
    public let isReversal: Bool
    public let allocatedAt: Instant
    /// The cycle whose allocation (or reversal) wrote it; its batches carry it.
    public let cycleID: RowID
    /// How a payment's part on an old fee reaches FBS in the `fbs` mode; nil otherwise.
    public let fbs: FBSPartStatus?

    public init(id: RowID, part: AllocationPart, isReversal: Bool, allocatedAt: Instant, cycleID: RowID, fbs: FBSPartStatus? = nil) {
        self.id = id
        self.part = part
        self.isReversal = isReversal
        self.allocatedAt = allocatedAt
        self.cycleID = cycleID
        self.fbs = fbs
    }
}

/// A record refused at intake, as the desk finds it.
public struct RejectedRecordView: Sendable, Hashable {
    public let rowID: RowID
    public let kioskID: String?
    public let summary: RecordSummary
    public let line: Int
    public let reasonCode: String
    public let reason: String
    public let wholeFile: Bool
    public let fileName: String
    public let rejectedAt: Instant

    public init(rowID: RowID, kioskID: String?, summary: RecordSummary, line: Int, reasonCode: String, reason: String,
                wholeFile: Bool, fileName: String, rejectedAt: Instant) {
        self.rowID = rowID
        self.kioskID = kioskID
        self.summary = summary
        self.line = line
        self.reasonCode = reasonCode
        self.reason = reason
        self.wholeFile = wholeFile
        self.fileName = fileName
        self.rejectedAt = rejectedAt
    }
}

/// One row of the trail, for showing a payment's or file's history.
public struct TrailEntry: Sendable, Hashable {
    public let at: Instant
    public let subject: String
    public let subjectID: RowID
    public let event: String
    public let cause: String

    public init(at: Instant, subject: String, subjectID: RowID, event: String, cause: String) {
        self.at = at
        self.subject = subject
        self.subjectID = subjectID
        self.event = event
        self.cause = cause
    }
}
