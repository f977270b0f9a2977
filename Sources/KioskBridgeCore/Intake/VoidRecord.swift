/// A void (`V` record, `<Void>` element): the kiosk cancels one of its earlier payments.
public struct VoidRecord: Hashable, Sendable {
    public let voidID: String
    public let voidedAt: Instant
    public let voidsTransactionID: String
    public let amount: Amount
    public let reason: String?

    public init(voidID: String, voidedAt: Instant, voidsTransactionID: String, amount: Amount, reason: String?) {
        self.voidID = voidID
        self.voidedAt = voidedAt
        self.voidsTransactionID = voidsTransactionID
        self.amount = amount
        self.reason = (reason?.isEmpty ?? true) ? nil : reason
    }
}

/// The text of a void record as either format delivers it, before it is checked.
public struct VoidFields: Sendable {
    public var voidID: String
    public var voidedAt: String
    public var voidsTransactionID: String
    public var amount: Amount
    public var reason: String?

    public init(voidID: String, voidedAt: String, voidsTransactionID: String, amount: Amount, reason: String?) {
        self.voidID = voidID
        self.voidedAt = voidedAt
        self.voidsTransactionID = voidsTransactionID
        self.amount = amount
        self.reason = reason
    }

    public func validated(line: Int, column: Int? = nil, xml: Bool = false) -> Result<VoidRecord, IntakeProblem> {
        typealias F = RecordField.Void
        func problem(_ code: IntakeProblem.Code, _ field: RecordField, _ found: String?, _ expected: String) -> Result<VoidRecord, IntakeProblem> {
            .failure(IntakeProblem(code, line: line, column: column, field: field, found: found, expected: expected, xml: xml))
        }
        if let issue = Identifier.problem(voidID) {
            return problem(voidID.isEmpty ? .missingValue : .invalidValue, F.voidID, voidID, issue)
        }
        let voided: Instant
        switch Timestamp.parse(voidedAt) {
        case .success(let instant): voided = instant
        case .failure(let reason): return problem(.invalidValue, F.voidedAt, voidedAt, Timestamp.expectation + " (\(reason))")
        }
        if let issue = Identifier.problem(voidsTransactionID) {
            return problem(voidsTransactionID.isEmpty ? .missingValue : .invalidValue, F.voids, voidsTransactionID, issue)
        }
        guard amount.isPositive else {
            return problem(.amountNotPositive, F.amount, amount.formatted(decimalSeparator: xml ? "." : ","),
                           "the cancelled payment's amount, greater than zero")
        }
        if let reason, reason.count > 500 {
            return problem(.invalidValue, F.reason, reason, "at most 500 characters")
        }
        return .success(VoidRecord(voidID: voidID, voidedAt: voided, voidsTransactionID: voidsTransactionID,
                                   amount: amount, reason: reason))
    }
}
