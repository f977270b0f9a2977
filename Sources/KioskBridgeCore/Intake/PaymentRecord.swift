/// One payment taken at a kiosk (a `D` record or a `<Payment>` element), checked.
public struct PaymentRecord: Hashable, Sendable {
    public let transactionID: String
    public let paidAt: Instant
    public let payer: Payer
    public let claimType: String
    public let amount: Amount
    public let tender: Tender
    public let receipt: String
    public let operatorID: String?

    public init(transactionID: String, paidAt: Instant, payer: Payer, claimType: String, amount: Amount,
                tender: Tender, receipt: String, operatorID: String?) {
        self.transactionID = transactionID
        self.paidAt = paidAt
        self.payer = payer
        self.claimType = claimType
        self.amount = amount
        self.tender = tender
        self.receipt = receipt
        self.operatorID = (operatorID?.isEmpty ?? true) ? nil : operatorID
    }
}

/// The text of a payment record as either format delivers it, before it is checked.
///
/// The amount has already been read (the trailer depends on it); everything else is
/// checked here, once, for CSV and XML alike.
public struct PaymentFields: Sendable {
    public var transactionID: String
    public var paidAt: String
    public var payer: String
    public var claimType: String
    public var amount: Amount
    public var tender: String
    public var receipt: String
    public var operatorID: String?

    public init(transactionID: String, paidAt: String, payer: String, claimType: String, amount: Amount,
                tender: String, receipt: String, operatorID: String?) {
        self.transactionID = transactionID
        self.paidAt = paidAt
        self.payer = payer
        self.claimType = claimType
        self.amount = amount
        self.tender = tender
        self.receipt = receipt
        self.operatorID = operatorID
    }

    /// The record if every field holds; otherwise the first field that does not.
    public func validated(claimTypes: ClaimTypeMapping, limits: IdentifierLimits = .kioskFormat, line: Int, column: Int? = nil, xml: Bool = false)
        -> Result<PaymentRecord, IntakeProblem>
    {
        typealias F = RecordField.Payment
        func problem(_ code: IntakeProblem.Code, _ field: RecordField, _ found: String?, _ expected: String) -> Result<PaymentRecord, IntakeProblem> {
            .failure(IntakeProblem(code, line: line, column: column, field: field, found: found, expected: expected, xml: xml))
        }
        if let issue = Identifier.problem(transactionID) ?? limits.problem(transactionID, limit: limits.transactionID) {
            return problem(transactionID.isEmpty ? .missingValue : .invalidValue, F.transactionID, transactionID, issue)
        }
        let paid: Instant
        switch Timestamp.parse(paidAt) {
        case .success(let instant): paid = instant
        case .failure(let reason): return problem(.invalidValue, F.paidAt, paidAt, Timestamp.expectation + " (\(reason))")
        }
        let parsedPayer: Payer
        do { parsedPayer = try Payer(parsing: payer) } catch {
            return problem(payer.isEmpty ? .missingValue : .invalidValue, F.payer, PersonalDataRedaction.safeEcho(payer),
                           Payer.expectation + " (\(error))")
        }
        guard claimTypes.debtorCode(for: claimType) != nil else {
            return problem(.unmappedClaimType, F.claimType, claimType, claimTypes.expectation)
        }
        guard amount.isPositive else {
            return problem(.amountNotPositive, F.amount, amount.formatted(decimalSeparator: xml ? "." : ","),
                           "an amount greater than zero")
        }
        guard let parsedTender = Tender(rawValue: tender) else {
            return problem(.invalidValue, F.tender, tender, Tender.expectation)
        }
        if let issue = Identifier.problem(receipt) ?? limits.problem(receipt, limit: limits.receipt) {
            return problem(receipt.isEmpty ? .missingValue : .invalidValue, F.receipt, receipt, issue)
        }
        if let operatorID, !operatorID.isEmpty, let issue = Identifier.problem(operatorID) {
            return problem(.invalidValue, F.operatorID, operatorID, issue)
        }
        return .success(PaymentRecord(transactionID: transactionID, paidAt: paid, payer: parsedPayer, claimType: claimType,
                                      amount: amount, tender: parsedTender, receipt: receipt, operatorID: operatorID))
    }
}

/// Transaction ids, receipt numbers and operator ids: free text chosen by the kiosk, but
/// short and printable, because they end up in file names' neighbours, exports and pages.
public enum Identifier {
    public static let maximumLength = 100

    /// Nil when acceptable; otherwise what was expected.
    public static func problem(_ text: String) -> String? {
        if text.isEmpty { return "a value (this field is required)" }
        // Printable ASCII, almost every identifier, is judged on its bytes: there a character
        // is a byte and the only white space is the space.
        let bytes = text.utf8
        if bytes.count <= maximumLength, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return bytes.first == 0x20 || bytes.last == 0x20 ? "no leading or trailing spaces" : nil
        }
        if text.count > maximumLength { return "at most \(maximumLength) characters" }
        // Control characters (Unicode category Cc) are exactly U+0000–U+001F and U+007F–U+009F.
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "printable characters only"
        }
        if text.first?.isWhitespace == true || text.last?.isWhitespace == true {
            return "no leading or trailing spaces"
        }
        return nil
    }
}
