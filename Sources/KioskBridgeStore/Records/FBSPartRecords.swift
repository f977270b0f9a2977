public import KioskBridgeCore

/// Where a part on an old fee goes in the `fbs` mode (`[allocation] fbs_claims = "fbs"`):
/// registered in FBS through its payment API, or on the worklist for staff.
public enum FBSPartState: String, Sendable, Hashable, CaseIterable {
    /// Pays the fee in full and waits to be registered (or for FBS's answer).
    case waiting
    /// FBS answered `paymentRegistered`.
    case registered
    /// FBS says the fee was paid by a different order: the patron paid twice.
    case refund
    /// On the worklist for staff: the part pays the fee only partly, or FBS did not answer for
    /// `[fbs] give_up_after_hours`, or the payment was voided while FBS's answer was unknown.
    case worklist
    /// Voided before it was ever sent to FBS: it goes nowhere, and neither does its reversal.
    case cancelled
    /// FBS would not take it (`paymentNotAllowedByClient`, or a status it does not document):
    /// the fee is no longer the bridge's to pay, and the amount is allocated again in the next
    /// cycle over the payer's remaining claims. The part stays in no export; a negative part
    /// of the same state beside the new ones keeps the payment's parts adding up to it.
    case released
}

/// A part FBS would not take, waiting to be allocated again.
public struct ReleasedFBSPart: Sendable, Hashable {
    public let key: FBSPartKey
    public let feeID: String
    public let amount: Amount

    public init(key: FBSPartKey, feeID: String, amount: Amount) {
        self.key = key
        self.feeID = feeID
        self.amount = amount
    }
}

/// How allocation routes a part on an old fee, decided with FBS's live fees.
public struct FBSPartPlan: Sendable, Hashable {
    public let state: FBSPartState
    /// FBS's outstanding amount of the fee when the part was allocated; nil when the fee came
    /// from a snapshot because FBS could not be asked.
    public let feeAmount: Amount?
    /// Why the part is on the worklist from the start (paying the fee only partly).
    public let reason: String?

    public init(state: FBSPartState, feeAmount: Amount?, reason: String?) {
        self.state = state
        self.feeAmount = feeAmount
        self.reason = reason
    }

    public static func register(feeAmount: Amount?) -> FBSPartPlan {
        FBSPartPlan(state: .waiting, feeAmount: feeAmount, reason: nil)
    }

    public static func worklist(feeAmount: Amount?, reason: String) -> FBSPartPlan {
        FBSPartPlan(state: .worklist, feeAmount: feeAmount, reason: reason)
    }
}

/// A part on an old fee: its payment and its place among the payment's parts.
public struct FBSPartKey: Sendable, Hashable, Comparable {
    public let payment: RowID
    public let position: Int

    public init(payment: RowID, position: Int) {
        self.payment = payment
        self.position = position
    }

    public static func < (lhs: FBSPartKey, rhs: FBSPartKey) -> Bool {
        (lhs.payment, lhs.position) < (rhs.payment, rhs.position)
    }
}

/// A part waiting to be registered in FBS, with what the call needs.
public struct WaitingFBSPart: Sendable, Hashable {
    public let key: FBSPartKey
    /// The payer's CPR digits (FBS knows patrons by CPR number only).
    public let payer: String
    /// `kb-<kiosk>-<transaction id>`: the same for every try of this payment.
    public let orderID: String
    public let feeID: String
    public let amount: Amount
    public let feeAmount: Amount?
    /// How many calls were started for it: after the first, FBS may have registered it
    /// already, and only the same order may be repeated.
    public let tries: Int
    public let createdAt: Instant

    public init(key: FBSPartKey, payer: String, orderID: String, feeID: String, amount: Amount, feeAmount: Amount?, tries: Int,
                createdAt: Instant) {
        self.key = key
        self.payer = payer
        self.orderID = orderID
        self.feeID = feeID
        self.amount = amount
        self.feeAmount = feeAmount
        self.tries = tries
        self.createdAt = createdAt
    }
}

/// A part of the bridge's on a fee that FBS may not show yet, for the fee's effective
/// outstanding (allocation.md, with FBS's live answer as the snapshot).
public struct UnreflectedFBSPart: Sendable, Hashable {
    public let feeID: String
    public let state: FBSPartState
    public let amount: Amount
    public let feeAmount: Amount?

    public init(feeID: String, state: FBSPartState, amount: Amount, feeAmount: Amount?) {
        self.feeID = feeID
        self.state = state
        self.amount = amount
        self.feeAmount = feeAmount
    }

    /// Whether FBS, now listing the fee at `listed`, does not show this part yet: a part
    /// waiting to be registered never is; a part on the worklist is once the fee's amount
    /// went down by at least the part (staff registered it). Registered parts and refunds are
    /// about fees FBS shows as paid.
    public func isUnreflected(listed: Amount) -> Bool {
        switch state {
        case .waiting: true
        case .worklist: feeAmount.map { listed.ore > $0.ore - amount.ore } ?? true
        case .registered, .refund, .cancelled, .released: false
        }
    }
}

/// What FBS answered for one part, as the store records it.
public struct FBSPartOutcome: Sendable, Hashable {
    public let key: FBSPartKey
    public let state: FBSPartState
    public let confirmationID: String?
    /// For the trail, the receipt and the worklist's staff: why it is not registered.
    public let reason: String?

    public init(key: FBSPartKey, state: FBSPartState, confirmationID: String?, reason: String?) {
        self.key = key
        self.state = state
        self.confirmationID = confirmationID
        self.reason = reason
    }
}

/// A part's FBS state as the receipt shows it (cli.md `fbs_status`).
public struct FBSPartStatus: Sendable, Hashable {
    public let state: FBSPartState
    public let confirmationID: String?
    public let reason: String?

    public init(state: FBSPartState, confirmationID: String?, reason: String?) {
        self.state = state
        self.confirmationID = confirmationID
        self.reason = reason
    }
}

/// A part on an old fee of a payment taken on a reconciled day: the report counts them by
/// state and lists the refund cases and the parts still waiting for FBS.
public struct DayFBSPart: Sendable, Hashable {
    public let kioskID: String
    public let receipt: String
    public let transactionID: String
    public let feeID: String
    public let amount: Amount
    public let status: FBSPartStatus

    public init(kioskID: String, receipt: String, transactionID: String, feeID: String, amount: Amount, status: FBSPartStatus) {
        self.kioskID = kioskID
        self.receipt = receipt
        self.transactionID = transactionID
        self.feeID = feeID
        self.amount = amount
        self.status = status
    }
}

/// The parts on old fees still waiting for FBS, for `status`: how many, how much, and since
/// when the oldest waits.
public struct FBSBacklog: Sendable, Hashable {
    public let count: Int
    public let sum: Amount
    public let oldestSince: Instant?

    public static let none = FBSBacklog(count: 0, sum: .zero, oldestSince: nil)

    public init(count: Int, sum: Amount, oldestSince: Instant?) {
        self.count = count
        self.sum = sum
        self.oldestSince = oldestSince
    }
}
