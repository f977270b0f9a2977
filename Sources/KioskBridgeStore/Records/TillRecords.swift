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

/// A till payment with its number: the n-th payment of its till, gap-free. The number is
/// the sequence of the one-payment kiosk file it goes out as, and the running number of
/// its receipt and transaction id.
public struct TillPayment: Sendable, Hashable {
    public let id: RowID
    public let number: Int
    public let taken: NewTillPayment

    public init(id: RowID, number: Int, taken: NewTillPayment) {
        self.id = id
        self.number = number
        self.taken = taken
    }

    /// `<till>-000001`: the receipt number and the transaction id.
    public var receipt: String { "\(taken.tillID)-\(LocalDate.pad(number, 6))" }
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
