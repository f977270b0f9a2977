import Synchronization

/// FBS's rules as the simulator keeps them: session keys that expire, patrons by CPR
/// number, fees, and payments of whole fees that are idempotent per orderId. Also what a
/// test wants to see afterwards: calls and registrations counted, every request target.
public final class FBSSimulatorState: Sendable {
    /// One fee as FBS holds it.
    struct Fee: Sendable {
        var data: FBSSimulatorData.Fee
        var paidOn: String?
        /// The order that paid it, with FBS's confirmation; "elsewhere" orders have none.
        var paidBy: (orderID: String, confirmationID: String?)?
        /// A status to answer instead of the rules (an undocumented one).
        var forcedStatus: String?
    }

    struct Session: Sendable {
        var remainingCalls: Int?
        var expired = false
    }

    struct ArmedFault: Sendable {
        let fault: FBSSimulatorFault
        let operation: FBSSimulatorOperation
        var remaining: Int?
    }

    struct Inner: Sendable {
        var data: FBSSimulatorData
        var fees: [Int64: Fee] = [:]
        var feeOrder: [Int64: [Int64]] = [:]
        var patronsByCPR: [String: FBSSimulatorData.Patron] = [:]
        var sessions: [String: Session] = [:]
        var issuedKeys: [String] = []
        var faults: [ArmedFault] = []
        var refuseLogins = false
        var calls: [FBSSimulatorOperation: Int] = [:]
        var registrations: [Int64: Int] = [:]
        var requestTargets: [String] = []
        var confirmations = 0
        var keys = 0
        var stopped = false
    }

    let inner: Mutex<Inner>

    public init(data: FBSSimulatorData) {
        var inner = Inner(data: data)
        for patron in data.patrons {
            inner.patronsByCPR[patron.cpr] = patron
            inner.feeOrder[patron.patronID] = patron.fees.map(\.feeID)
            for fee in patron.fees { inner.fees[fee.feeID] = Fee(data: fee) }
        }
        self.inner = Mutex(inner)
    }

    public var agencyID: String { inner.withLock { $0.data.agencyID } }

    // MARK: Faults

    /// Arms `fault` for the next `times` calls of `operation` (nil: until cleared).
    public func inject(_ fault: FBSSimulatorFault, on operation: FBSSimulatorOperation, times: Int? = 1) {
        inner.withLock { $0.faults.append(ArmedFault(fault: fault, operation: operation, remaining: times)) }
    }

    public func clearFaults() {
        inner.withLock { $0.faults.removeAll() }
    }

    /// Counts the call and hands out the fault armed for it, if any.
    func arrived(_ operation: FBSSimulatorOperation, target: String) -> FBSSimulatorFault? {
        inner.withLock { inner in
            inner.calls[operation, default: 0] += 1
            inner.requestTargets.append(target)
            guard let index = inner.faults.firstIndex(where: { $0.operation == operation }) else { return nil }
            let fault = inner.faults[index].fault
            if let remaining = inner.faults[index].remaining {
                if remaining <= 1 { inner.faults.remove(at: index) } else { inner.faults[index].remaining = remaining - 1 }
            }
            return fault
        }
    }

    // MARK: Sessions

    public func refuseLogins(_ refuse: Bool) {
        inner.withLock { $0.refuseLogins = refuse }
    }

    /// Every key issued so far expires now: their next call answers 401.
    public func expireSessions() {
        inner.withLock { inner in
            for key in inner.sessions.keys { inner.sessions[key]?.expired = true }
        }
    }

    /// The live keys answer `calls` more calls, then expire: a session that runs out in
    /// the middle of a cycle.
    public func expireSessions(afterCalls calls: Int) {
        inner.withLock { inner in
            for key in inner.sessions.keys where inner.sessions[key]?.expired == false { inner.sessions[key]?.remainingCalls = calls }
        }
    }

    /// A new session key for the right credentials, nil when they are wrong or logins are refused.
    func login(username: String, password: String) -> String? {
        inner.withLock { inner in
            guard !inner.refuseLogins, username == inner.data.username, password == inner.data.password else { return nil }
            inner.keys += 1
            let key = "sim-session-\(inner.keys)-\(UInt64.random(in: 1...UInt64.max))"
            inner.sessions[key] = Session(remainingCalls: inner.data.sessionCalls)
            inner.issuedKeys.append(key)
            return key
        }
    }

    /// Whether `key` may make one more call (and counts the call against it).
    func authorize(_ key: String?) -> Bool {
        inner.withLock { inner in
            guard let key, var session = inner.sessions[key], !session.expired else { return false }
            if let remaining = session.remainingCalls {
                if remaining <= 0 {
                    session.expired = true
                    inner.sessions[key] = session
                    return false
                }
                session.remainingCalls = remaining - 1
            }
            inner.sessions[key] = session
            return true
        }
    }

    // MARK: Patrons and fees

    func patron(cpr: String) -> FBSSimulatorData.Patron? {
        inner.withLock { $0.patronsByCPR[cpr] }
    }

    func knowsPatron(_ patronID: Int64) -> Bool {
        inner.withLock { $0.feeOrder[patronID] != nil }
    }

    /// The patron's fees as `fees/v2` lists them.
    func fees(of patronID: Int64, includePaid: Bool, includeNonPayable: Bool) -> [Fee] {
        inner.withLock { inner in
            (inner.feeOrder[patronID] ?? []).compactMap { inner.fees[$0] }
                .filter { (includePaid || $0.paidOn == nil) && (includeNonPayable || $0.data.payableByClient) }
        }
    }

    /// A fee is paid by another order (online, or by staff in FBS's own client).
    public func payElsewhere(feeID: Int64, orderID: String = "online-order") {
        inner.withLock { inner in
            inner.fees[feeID]?.paidBy = (orderID, nil)
            inner.fees[feeID]?.paidOn = inner.data.today
        }
    }

    /// A fee is handed to the debtor system: no longer payable by a client.
    public func handToDebtor(feeID: Int64) {
        inner.withLock { $0.fees[feeID]?.data.payableByClient = false }
    }

    /// Payments of this fee answer `status` (one fbs-api.md does not name) and register nothing.
    public func answer(status: String, forFee feeID: Int64) {
        inner.withLock { $0.fees[feeID]?.forcedStatus = status }
    }

    /// One fee's answer to `payment/v2`.
    struct Confirmation: Sendable {
        let feeID: Int64
        let status: String
        let confirmationID: String?
    }

    /// Registers `orderID` for `feeIDs` with FBS's rules, or nil when a fee is not the patron's.
    func pay(patronID: Int64, orderID: String, feeIDs: [Int64]) -> [Confirmation]? {
        inner.withLock { inner in
            let patronFees = Set(inner.feeOrder[patronID] ?? [])
            guard feeIDs.allSatisfy(patronFees.contains) else { return nil }
            return feeIDs.map { feeID in
                guard var fee = inner.fees[feeID] else { return Confirmation(feeID: feeID, status: "feeNotFound", confirmationID: nil) }
                if let forced = fee.forcedStatus { return Confirmation(feeID: feeID, status: forced, confirmationID: nil) }
                if let paidBy = fee.paidBy {
                    if paidBy.orderID == orderID, let confirmation = paidBy.confirmationID {
                        return Confirmation(feeID: feeID, status: "paymentRegistered", confirmationID: confirmation)
                    }
                    return Confirmation(feeID: feeID, status: "paymentRegisteredByDifferentOrderId", confirmationID: nil)
                }
                guard fee.data.payableByClient else { return Confirmation(feeID: feeID, status: "paymentNotAllowedByClient", confirmationID: nil) }
                // Whole fees only: the order pays what is left of the fee, all of it.
                inner.confirmations += 1
                let confirmation = "FBS-\(100_000 + inner.confirmations)"
                fee.paidBy = (orderID, confirmation)
                fee.paidOn = inner.data.today
                inner.fees[feeID] = fee
                inner.registrations[feeID, default: 0] += 1
                return Confirmation(feeID: feeID, status: "paymentRegistered", confirmationID: confirmation)
            }
        }
    }

    // MARK: What a test reads

    /// How many times a payment registered this fee (a repeat of the same order does not count).
    public func registrations(of feeID: Int64) -> Int {
        inner.withLock { $0.registrations[feeID] ?? 0 }
    }

    public var registrations: [Int64: Int] { inner.withLock { $0.registrations } }

    /// The order and confirmation that paid each fee through `payment/v2`.
    public var paidOrders: [Int64: (orderID: String, confirmationID: String)] {
        inner.withLock { inner in
            var orders: [Int64: (orderID: String, confirmationID: String)] = [:]
            for (feeID, fee) in inner.fees {
                if let paidBy = fee.paidBy, let confirmation = paidBy.confirmationID { orders[feeID] = (paidBy.orderID, confirmation) }
            }
            return orders
        }
    }

    /// How many requests of this operation arrived (faulted ones included).
    public func calls(of operation: FBSSimulatorOperation) -> Int {
        inner.withLock { $0.calls[operation] ?? 0 }
    }

    /// Method, path and query of every request, in order.
    public var requestTargets: [String] { inner.withLock { $0.requestTargets } }

    /// Every session key handed out, for proving none leaked into a log or an error.
    public var issuedSessionKeys: [String] { inner.withLock { $0.issuedKeys } }

    var today: String { inner.withLock { $0.data.today } }

    // MARK: Stopping

    /// Ends every held request (`noAnswer`, `answerLost`).
    public func release() {
        inner.withLock { $0.stopped = true }
    }

    var isReleased: Bool { inner.withLock { $0.stopped } }
}
