public import KioskBridgeCore

/// One booked payment of a day, as the reconciliation counts it.
public struct DayPayment: Sendable, Hashable {
    public let kioskID: String
    public let location: String
    public let transactionID: String
    public let receipt: String
    public let tender: String
    public let claimType: String
    public let amount: Amount
    /// Set when the payment was voided (cancelled before export, or reversed after).
    public let voided: VoidEffect?
    /// Whether a part of it is in a published export file.
    public let exported: Bool
    /// Its surplus part, if any.
    public let surplus: Amount
    /// Who took it: the kiosk's operator id, at a till the staff member.
    public let operatorID: String?

    public init(kioskID: String, location: String, transactionID: String, receipt: String, tender: String, claimType: String,
                amount: Amount, voided: VoidEffect?, exported: Bool, surplus: Amount, operatorID: String? = nil) {
        self.operatorID = operatorID
        self.kioskID = kioskID
        self.location = location
        self.transactionID = transactionID
        self.receipt = receipt
        self.tender = tender
        self.claimType = claimType
        self.amount = amount
        self.voided = voided
        self.exported = exported
        self.surplus = surplus
    }
}

/// A payment record of a day that was refused (alone or with its file).
public struct DayRejectedRecord: Sendable, Hashable {
    public let kioskID: String
    public let transactionID: String?
    public let receipt: String?
    public let amount: Amount
    public let reason: String
    public let fileName: String
    public let line: Int
    public let wholeFile: Bool

    public init(kioskID: String, transactionID: String?, receipt: String?, amount: Amount, reason: String, fileName: String,
                line: Int, wholeFile: Bool) {
        self.kioskID = kioskID
        self.transactionID = transactionID
        self.receipt = receipt
        self.amount = amount
        self.reason = reason
        self.fileName = fileName
        self.line = line
        self.wholeFile = wholeFile
    }
}

/// How much of one kiosk's day went out in one export file.
public struct ExportedShare: Sendable, Hashable {
    public let kioskID: String
    public let series: String
    public let fileName: String
    public let lines: Int
    public let sum: Amount

    public init(kioskID: String, series: String, fileName: String, lines: Int, sum: Amount) {
        self.kioskID = kioskID
        self.series = series
        self.fileName = fileName
        self.lines = lines
        self.sum = sum
    }
}

/// A kiosk file as the reconciliation and the status list it.
public struct KioskFileView: Sendable, Hashable {
    public let kioskID: String?
    public let name: String
    public let sequence: Int?
    public let verdict: FileVerdict
    public let receivedAt: Instant
    public let records: Int
    public let trailerSum: Amount?
    public let reason: String?

    public init(kioskID: String?, name: String, sequence: Int?, verdict: FileVerdict, receivedAt: Instant, records: Int,
                trailerSum: Amount?, reason: String?) {
        self.kioskID = kioskID
        self.name = name
        self.sequence = sequence
        self.verdict = verdict
        self.receivedAt = receivedAt
        self.records = records
        self.trailerSum = trailerSum
        self.reason = reason
    }
}

/// A finished (or interrupted) run of `cycle`.
public struct CycleView: Sendable, Hashable {
    public let startedAt: Instant
    public let finishedAt: Instant?
    public let result: String?
    public let summaryJSON: String?

    public init(startedAt: Instant, finishedAt: Instant?, result: String?, summaryJSON: String?) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.result = result
        self.summaryJSON = summaryJSON
    }
}

/// A published export file and where it was put.
public struct PublishedFileView: Sendable, Hashable {
    public let series: String
    public let fileName: String
    public let outboxPath: String
    public let publishedAt: Instant

    public init(series: String, fileName: String, outboxPath: String, publishedAt: Instant) {
        self.series = series
        self.fileName = fileName
        self.outboxPath = outboxPath
        self.publishedAt = publishedAt
    }
}

/// A kiosk's closing figure of a day, kept so the next day's opening can be checked
/// against it: a file that arrives late (or never) shows up as a break in the chain.
public struct DayClosing: Sendable, Hashable {
    public let kioskID: String
    public let date: LocalDate
    /// Everything the kiosk had sent for days up to and including `date`, net of nothing:
    /// the sum of its payment records (booked or refused).
    public let cumulativeReceived: Amount
    public let recordedAt: Instant
    /// The booked payments' part of `cumulativeReceived`, and the highest payment row then:
    /// the next day's closing adds only what was taken or booked since (``PaymentsMark``).
    /// Nil in closings recorded before the bridge kept them.
    public let paymentsReceived: Amount?
    public let throughPayment: RowID?

    public init(kioskID: String, date: LocalDate, cumulativeReceived: Amount, recordedAt: Instant, paymentsReceived: Amount? = nil,
                throughPayment: RowID? = nil) {
        self.kioskID = kioskID
        self.date = date
        self.cumulativeReceived = cumulativeReceived
        self.recordedAt = recordedAt
        self.paymentsReceived = paymentsReceived
        self.throughPayment = throughPayment
    }
}

/// Where the previous day's closings left the booked payments' sums, so that a closing
/// reads one day of payments instead of every payment ever booked.
///
/// Payment rows are never deleted (retention only pseudonymises the payer), their amount,
/// kiosk and time never change, and only the lease holder books them, one transaction at
/// a time, so the payments taken before `before` are exactly those counted in `received`
/// plus, since then, the rows after `throughPayment` taken before the new cutoff and the
/// rows up to it taken in between.
public struct PaymentsMark: Sendable, Hashable {
    /// The previous closings' cutoff (the start of the day after theirs).
    public let before: Instant
    public let throughPayment: RowID
    public let received: [String: Amount]

    public init(before: Instant, throughPayment: RowID, received: [String: Amount]) {
        self.before = before
        self.throughPayment = throughPayment
        self.received = received
    }
}

/// Per kiosk, what was received before a cutoff: booked payments and counted refused
/// records apart, since a refused record stops counting once its transaction is booked
/// after all, and is summed whole each time (there are few).
public struct ReceivedTally: Sendable, Hashable {
    public var payments: [String: Amount]
    public var rejections: [String: Amount]
    /// The highest payment row the sums saw.
    public var throughPayment: RowID

    public init(payments: [String: Amount], rejections: [String: Amount], throughPayment: RowID) {
        self.payments = payments
        self.rejections = rejections
        self.throughPayment = throughPayment
    }

    public var total: [String: Amount] { payments.merging(rejections, uniquingKeysWith: +) }
}

/// The last status the alerting saw, so that it alerts once per change.
public struct AlertState: Sendable, Hashable {
    public let level: String
    public let changedAt: Instant
    public let summary: String

    public init(level: String, changedAt: Instant, summary: String) {
        self.level = level
        self.changedAt = changedAt
        self.summary = summary
    }
}

/// Running totals since the bridge started, for the metrics endpoint: counters that only
/// grow, read from the database so they survive restarts and agree with every report.
public struct RunningTotals: Sendable, Hashable {
    public var paymentsBooked = 0
    public var paymentsBookedSum = Amount.zero
    public var paymentsVoided = 0
    public var recordsRejected = 0
    public var recordsRejectedSum = Amount.zero
    public var filesAccepted = 0
    public var filesRejected = 0
    public var filesDuplicate = 0
    public var paymentsExported = 0
    public var exportedSum = Amount.zero
    public var exportFiles = 0
    /// When the last cycle that ended without errors ran.
    public var lastSuccessfulCycle: Instant?

    public init() {}
}

/// Sequence numbers missing between two accepted files of a kiosk.
public struct SequenceGap: Sendable, Hashable {
    public let kioskID: String
    public let missing: ClosedRange<Int>

    public init(kioskID: String, missing: ClosedRange<Int>) {
        self.kioskID = kioskID
        self.missing = missing
    }
}
