public import KioskBridgeCore

/// A payment a member of staff took at a desk till (`[[till]]`), before the store gives it
/// the till's next number.
public struct NewTillPayment: Sendable, Hashable {
    public let tillID: String
    /// The one-time token of the form that booked it: a second submit finds this payment.
    public let formToken: String
    public let staff: String
    public let takenAt: Instant
    public let payerDigits: String
    public let claimType: String
    public let amount: Amount
    /// `CASH`, `CARD` or `MOBILEPAY`.
    public let tender: String
    /// The MobilePay transaction id or the like, if any.
    public let reference: String?
    public let note: String?

    public init(tillID: String, formToken: String, staff: String, takenAt: Instant, payerDigits: String, claimType: String,
                amount: Amount, tender: String, reference: String?, note: String?) {
        self.tillID = tillID
        self.formToken = formToken
        self.staff = staff
        self.takenAt = takenAt
        self.payerDigits = payerDigits
        self.claimType = claimType
        self.amount = amount
        self.tender = tender
        self.reference = reference
        self.note = note
    }
}

/// A till payment with its numbers: `receiptNumber`, the n-th payment of its till
/// (gap-free), and `number`, the sequence of the one-record kiosk file it goes out as
/// (shared with the till's voids).
public struct TillPayment: Sendable, Hashable {
    public let id: RowID
    public let number: Int
    public let receiptNumber: Int
    public let taken: NewTillPayment

    public init(id: RowID, number: Int, receiptNumber: Int, taken: NewTillPayment) {
        self.id = id
        self.number = number
        self.receiptNumber = receiptNumber
        self.taken = taken
    }

    /// `<till>-000001`: the receipt number and the transaction id.
    public var receipt: String { TillPayment.receipt(tillID: taken.tillID, number: receiptNumber) }

    public static func receipt(tillID: String, number: Int) -> String { "\(tillID)-\(LocalDate.pad(number, 6))" }
}

/// A void of a till payment, asked for at the till by a member of staff.
public struct NewTillVoid: Sendable, Hashable {
    public let tillID: String
    /// The receipt number (``TillPayment/receiptNumber``) of the payment it cancels.
    public let receiptNumber: Int
    public let staff: String
    public let voidedAt: Instant
    public let reason: String

    public init(tillID: String, receiptNumber: Int, staff: String, voidedAt: Instant, reason: String) {
        self.tillID = tillID
        self.receiptNumber = receiptNumber
        self.staff = staff
        self.voidedAt = voidedAt
        self.reason = reason
    }
}

/// A till void with its file's number: it goes out as a kiosk file with one `V` record.
public struct TillVoid: Sendable, Hashable {
    public let id: RowID
    public let number: Int
    public let tillID: String
    public let paymentReceiptNumber: Int
    /// The cancelled payment's amount, which the `V` record carries.
    public let amount: Amount
    public let staff: String
    public let voidedAt: Instant
    public let reason: String

    public init(id: RowID, number: Int, tillID: String, paymentReceiptNumber: Int, amount: Amount, staff: String, voidedAt: Instant,
                reason: String) {
        self.id = id
        self.number = number
        self.tillID = tillID
        self.paymentReceiptNumber = paymentReceiptNumber
        self.amount = amount
        self.staff = staff
        self.voidedAt = voidedAt
        self.reason = reason
    }

    public var paymentReceipt: String { TillPayment.receipt(tillID: tillID, number: paymentReceiptNumber) }
    /// `<till>-A000002`: the void's transaction id (`A` for annullering), by its file's number.
    public var voidID: String { "\(tillID)-A\(LocalDate.pad(number, 6))" }
}

/// What a till's next kiosk file carries.
public enum TillEntry: Sendable, Hashable {
    case payment(TillPayment)
    case void(TillVoid)

    public var number: Int {
        switch self {
        case .payment(let payment): payment.number
        case .void(let void): void.number
        }
    }
}

/// What voiding a till payment did.
public enum TillVoidIssue: Sendable, Hashable {
    case voided(TillVoid)
    /// The payment was voided already (by this form or another): nothing new.
    case alreadyVoided(TillVoid)
    case noSuchPayment
}

/// What issuing a till payment did.
public enum TillIssue: Sendable, Hashable {
    /// Numbered and stored now.
    case issued(TillPayment)
    /// The form's token had booked this payment already (a double click, a reload): nothing new.
    case alreadyIssued(TillPayment)

    public var payment: TillPayment {
        switch self {
        case .issued(let payment), .alreadyIssued(let payment): payment
        }
    }
}

/// A till's close (kasseopgørelse): the cash counted at the end of a day against the cash
/// the till registered that day (voided payments left out).
public struct TillClose: Sendable, Hashable {
    public let id: RowID
    public let tillID: String
    public let date: LocalDate
    public let counted: Amount
    public let registered: Amount
    public let staff: String
    public let closedAt: Instant
    public let note: String?

    public init(id: RowID, tillID: String, date: LocalDate, counted: Amount, registered: Amount, staff: String, closedAt: Instant, note: String?) {
        self.id = id
        self.tillID = tillID
        self.date = date
        self.counted = counted
        self.registered = registered
        self.staff = staff
        self.closedAt = closedAt
        self.note = note
    }

    /// Counted less registered: positive is cash over, negative cash short.
    public var difference: Amount { counted - registered }
}
