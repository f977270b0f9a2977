/// Where in a kiosk file a record sits.
public struct RecordLocation: Hashable, Sendable {
    public let line: Int
    public let column: Int?
    /// XML files name fields as attributes in messages.
    public let xml: Bool

    public init(line: Int, column: Int? = nil, xml: Bool = false) {
        self.line = line
        self.column = column
        self.xml = xml
    }
}

/// What is known of a `D` or `V` record even when it could not be booked: enough for the
/// desk to find a refused payment by its receipt number and explain why.
public struct RecordSummary: Hashable, Sendable {
    public enum RecordType: String, Sendable {
        case payment = "D"
        case void = "V"
    }

    public var recordType: RecordType
    public var transactionID: String?
    public var receipt: String?
    /// The payer field as written; stored, never printed unmasked.
    public var payerText: String?
    public var paidAtText: String?
    public var claimType: String?
    public var amount: Amount?
    public var tender: String?
    public var voidsTransactionID: String?

    public init(recordType: RecordType, transactionID: String? = nil, receipt: String? = nil, payerText: String? = nil,
                paidAtText: String? = nil, claimType: String? = nil, amount: Amount? = nil, tender: String? = nil,
                voidsTransactionID: String? = nil) {
        self.recordType = recordType
        self.transactionID = transactionID
        self.receipt = receipt
        self.payerText = payerText
        self.paidAtText = paidAtText
        self.claimType = claimType
        self.amount = amount
        self.tender = tender
        self.voidsTransactionID = voidsTransactionID
    }

    public init(_ fields: PaymentFields) {
        self.init(recordType: .payment, transactionID: fields.transactionID, receipt: fields.receipt,
                  payerText: fields.payer, paidAtText: fields.paidAt, claimType: fields.claimType,
                  amount: fields.amount, tender: fields.tender)
    }

    public init(_ fields: VoidFields) {
        self.init(recordType: .void, transactionID: fields.voidID, paidAtText: fields.voidedAt,
                  amount: fields.amount, voidsTransactionID: fields.voidsTransactionID)
    }

    /// What the store may keep of it: a field the kiosk format allows (at most 100
    /// characters) whole, so that the desk finds it by what the receipt shows; a longer
    /// one cut by ``BoundedText``. A refused record's fields are whatever the file held.
    public var bounded: RecordSummary {
        func cut(_ text: String?) -> String? { text.map { BoundedText.stored($0, keepingUpTo: Identifier.maximumLength) } }
        return RecordSummary(recordType: recordType, transactionID: cut(transactionID), receipt: cut(receipt),
                             payerText: cut(payerText), paidAtText: cut(paidAtText), claimType: cut(claimType), amount: amount,
                             tender: cut(tender), voidsTransactionID: cut(voidsTransactionID))
    }
}

/// One record of a kiosk file, as a reader hands it on. The readers of both formats
/// produce these; everything after them is the same for CSV and XML.
public enum KioskFileEntry: Sendable {
    case payment(PaymentFields, RecordLocation)
    case void(VoidFields, RecordLocation)
    /// A `D` or `V` record whose amount was counted for the trailer but whose shape is
    /// wrong (too few or too many fields): rejected on its own.
    case unusable(IntakeProblem, RecordSummary)
}
