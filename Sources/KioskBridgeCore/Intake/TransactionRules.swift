/// What the bridge already holds under a kiosk's transaction id.
public enum BookedTransaction: Sendable {
    case payment(PaymentRecord, source: String)
    /// A payment whose payer has since been pseudonymised (`purge`): its content can no
    /// longer be compared, so the id can only be a conflict.
    case pseudonymisedPayment(source: String)
    case void(VoidRecord, source: String)
}

/// The state of the payment a void points at.
public struct VoidTarget: Sendable {
    public let amount: Amount
    public let isVoided: Bool
    /// Already in an export file (or a batch committed to be one).
    public let isExported: Bool

    public init(amount: Amount, isVoided: Bool, isExported: Bool) {
        self.amount = amount
        self.isVoided = isVoided
        self.isExported = isExported
    }
}

/// The rules of kiosk-file.md for transaction ids and voids.
///
/// A transaction id is unique per kiosk forever, across payments and voids. The same id
/// with the same content is a harmless resend; with different content it is a conflict
/// that must not overwrite what was booked. A void cancels a payment that has not left
/// the bridge, or reverses one that has.
public enum TransactionRules {
    public enum PaymentVerdict: Sendable, Equatable {
        case book
        case duplicate
        case reject(IntakeProblem)
    }

    public enum VoidVerdict: Sendable, Equatable {
        /// Not exported yet: neither the payment nor the void goes to the debtor.
        case cancelPayment
        /// Already exported: the next export carries a reversal.
        case reversePayment
        case duplicate
        case reject(IntakeProblem)
    }

    public static func judge(_ payment: PaymentRecord, line: Int, column: Int? = nil, xml: Bool = false,
                             existing: BookedTransaction?) -> PaymentVerdict {
        switch existing {
        case nil:
            return .book
        case .payment(let booked, let source):
            if booked == payment { return .duplicate }
            return .reject(IntakeProblem(
                .conflict, line: line, column: column, field: RecordField.Payment.transactionID, found: payment.transactionID,
                expected: "a new transaction id, or the same content as booked from \(source) (differs in \(difference(booked, payment)))",
                xml: xml))
        case .pseudonymisedPayment(let source):
            return .reject(IntakeProblem(
                .conflict, line: line, column: column, field: RecordField.Payment.transactionID, found: payment.transactionID,
                expected: "a new transaction id (this id was booked from \(source), since pseudonymised)", xml: xml))
        case .void(_, let source):
            return .reject(IntakeProblem(
                .conflict, line: line, column: column, field: RecordField.Payment.transactionID, found: payment.transactionID,
                expected: "a new transaction id (this id was booked as a void from \(source))", xml: xml))
        }
    }

    public static func judge(_ void: VoidRecord, line: Int, column: Int? = nil, xml: Bool = false,
                             existing: BookedTransaction?, target: VoidTarget?) -> VoidVerdict {
        typealias F = RecordField.Void
        switch existing {
        case .void(let booked, let source):
            if booked == void { return .duplicate }
            return .reject(IntakeProblem(
                .conflict, line: line, column: column, field: F.voidID, found: void.voidID,
                expected: "a new transaction id, or the same content as the void booked from \(source)", xml: xml))
        case .payment(_, let source), .pseudonymisedPayment(let source):
            return .reject(IntakeProblem(
                .conflict, line: line, column: column, field: F.voidID, found: void.voidID,
                expected: "a new transaction id (this id was booked as a payment from \(source))", xml: xml))
        case nil:
            break
        }
        guard let target else {
            return .reject(IntakeProblem(
                .unknownPayment, line: line, column: column, field: F.voids, found: void.voidsTransactionID,
                expected: "the transaction id of a payment of this kiosk booked earlier (in this file or an earlier one)",
                xml: xml))
        }
        if target.isVoided {
            return .reject(IntakeProblem(
                .alreadyVoided, line: line, column: column, field: F.voids, found: void.voidsTransactionID,
                expected: "a payment that has not been voided already", xml: xml))
        }
        if target.amount != void.amount {
            return .reject(IntakeProblem(
                .voidAmountMismatch, line: line, column: column, field: F.amount, found: void.amount.formatted(decimalSeparator: xml ? "." : ","),
                expected: "the voided payment's amount, \(target.amount.formatted(decimalSeparator: xml ? "." : ","))", xml: xml))
        }
        return target.isExported ? .reversePayment : .cancelPayment
    }

    static func difference(_ a: PaymentRecord, _ b: PaymentRecord) -> String {
        typealias F = RecordField.Payment
        if a.paidAt != b.paidAt { return F.paidAt.name }
        if a.payer != b.payer { return F.payer.name }
        if a.claimType != b.claimType { return F.claimType.name }
        if a.amount != b.amount { return F.amount.name }
        if a.tender != b.tender { return F.tender.name }
        if a.receipt != b.receipt { return F.receipt.name }
        return F.operatorID.name
    }
}
