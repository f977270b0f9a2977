public import KioskBridgeCore
public import KioskBridgeFBS
public import KioskBridgeStore
public import Logging

/// The `fbs` mode's last step: registering in FBS the parts that pay old fees in full
/// (fbs-api.md `payment/v2`), exactly once.
///
/// Per payment, one order (`kb-<kiosk>-<transaction id>`) for its waiting fees. Its try is
/// committed before the call and FBS's answer after it, so a crash or a timeout in between
/// leaves a part that is only ever sent again with the same orderId, which FBS answers with
/// the same confirmation. A part never sent is first checked against FBS's fee: FBS pays a
/// listed fee in full whatever the order says, so a fee whose amount has changed is not
/// sent but goes to the worklist, and one FBS no longer lists is a refund case.
public struct FBSRegistration: Sendable {
    let store: any BridgeStore
    let service: any FBSService
    let logger: Logger

    public init(store: any BridgeStore, service: any FBSService, logger: Logger) {
        self.store = store
        self.service = service
        self.logger = logger
    }

    /// Tries every waiting part; stops at the first sign that FBS is down (the rest wait
    /// for the next cycle). Returns the problem, if any, for the cycle's warnings.
    public func run(live: LiveFees, at now: Instant, into tally: inout FBSTally) async throws -> String? {
        let waiting = try await store.cycle { try await $0.waitingFBSParts() }
        var problem: String?
        var answered = 0
        payers: for payer in Set(waiting.map(\.payer)).sorted() {
            let parts = waiting.filter { $0.payer == payer }
            let fees: LiveFees.PayerFees
            if let known = live.byPayer[payer] {
                fees = known
            } else {
                guard case .person(let cpr)? = Payer(storedDigits: payer) else { continue }
                do {
                    fees = try await LiveFees.fees(of: cpr, from: service)
                } catch {
                    problem = "FBS: \(error.description); \(waiting.count - answered) part(s) wait to be registered"
                    if LiveFees.isOutage(error) { break payers }
                    continue
                }
            }
            for order in Self.orders(parts) {
                let result = try await register(order, patron: fees.patron, fees: fees.fees, at: now, into: &tally)
                answered += result.answered
                if let failure = result.failure {
                    problem = "FBS: \(failure.description); \(waiting.count - answered) part(s) wait to be registered"
                    if LiveFees.isOutage(failure) { break payers }
                }
            }
        }
        tally.waiting = waiting.count - answered
        return problem
    }

    /// A payer's waiting parts as one order per payment, in the order they were allocated.
    static func orders(_ parts: [WaitingFBSPart]) -> [[WaitingFBSPart]] {
        var orders: [String: [WaitingFBSPart]] = [:]
        for part in parts { orders[part.orderID, default: []].append(part) }
        return orders.values.sorted { ($0.first?.key ?? FBSPartKey(payment: 0, position: 0)) < ($1.first?.key ?? FBSPartKey(payment: 0, position: 0)) }
    }

    /// One payment's order: the check of the parts never sent, the try, the call, the answer.
    private func register(_ order: [WaitingFBSPart], patron: FBSPatronID?, fees: [FBSFee], at now: Instant,
                          into tally: inout FBSTally) async throws -> (answered: Int, failure: FBSError?) {
        guard let patron else {
            let outcomes = order.map { FBSPartOutcome(key: $0.key, state: .worklist, confirmationID: nil, reason: "FBS knows no patron with this CPR number") }
            try await record(outcomes, at: now, into: &tally)
            return (outcomes.count, nil)
        }
        let checked = order.map { part in (part, part.tries > 0 ? nil : Self.check(part, against: fees)) }
        let refused = checked.compactMap(\.1)
        try await record(refused, at: now, into: &tally)
        let send = checked.filter { $0.1 == nil }.map(\.0)
        guard let first = send.first else { return (refused.count, nil) }
        let request: FBSPaymentOrder
        do {
            request = try FBSPaymentOrder(orderID: first.orderID, feeIDs: send.compactMap { Int64($0.feeID) })
        } catch {
            let outcomes = send.map { FBSPartOutcome(key: $0.key, state: .worklist, confirmationID: nil, reason: error.description) }
            try await record(outcomes, at: now, into: &tally)
            return (refused.count + outcomes.count, nil)
        }
        try await store.cycle { try await $0.markFBSTried(send.map(\.key), at: now) }
        let results: [FBSPaymentResult]
        do {
            results = try await service.registerPayment(request, for: patron)
        } catch {
            logger.warning("FBS: order \(request.orderID) not registered: \(error.description); it is sent again next cycle")
            return (refused.count, error)
        }
        CrashPoint.afterFBSCall.reach()
        let outcomes = send.compactMap { part in
            results.first { String($0.feeID) == part.feeID }.map { Self.outcome(of: $0, for: part) }
        }
        try await record(outcomes, at: now, into: &tally)
        return (refused.count + outcomes.count, nil)
    }

    /// Why a part never sent must not be sent, or nil when FBS still asks exactly its amount.
    static func check(_ part: WaitingFBSPart, against fees: [FBSFee]) -> FBSPartOutcome? {
        guard let fee = fees.first(where: { String($0.id) == part.feeID }) else {
            return FBSPartOutcome(key: part.key, state: .refund, confirmationID: nil,
                                  reason: "FBS no longer lists the fee as unpaid: it was paid or cancelled elsewhere")
        }
        guard fee.payableByClient else {
            return FBSPartOutcome(key: part.key, state: .released, confirmationID: nil,
                                  reason: "FBS no longer lets the bridge take payment for the fee (handed to the debtor system)")
        }
        guard fee.amount == part.amount else {
            return FBSPartOutcome(key: part.key, state: .worklist, confirmationID: nil,
                                  reason: "FBS asks \(fee.amount.danishText) for the fee, the part is \(part.amount.danishText): FBS takes whole fees only")
        }
        return nil
    }

    static func outcome(of result: FBSPaymentResult, for part: WaitingFBSPart) -> FBSPartOutcome {
        switch result.status {
        case .registered(let confirmation):
            FBSPartOutcome(key: part.key, state: .registered, confirmationID: confirmation, reason: nil)
        case .registeredByDifferentOrder:
            FBSPartOutcome(key: part.key, state: .refund, confirmationID: nil,
                           reason: "FBS had the fee paid by a different order (paymentRegisteredByDifferentOrderId): the patron paid twice")
        case .notAllowedByClient:
            FBSPartOutcome(key: part.key, state: .released, confirmationID: nil,
                           reason: "FBS does not let the bridge take payment for the fee (paymentNotAllowedByClient)")
        case .unknown(let status):
            FBSPartOutcome(key: part.key, state: .released, confirmationID: nil, reason: "FBS answered \(status): not registered")
        }
    }

    private func record(_ outcomes: [FBSPartOutcome], at now: Instant, into tally: inout FBSTally) async throws {
        guard !outcomes.isEmpty else { return }
        try await store.cycle { try await $0.recordFBSOutcomes(outcomes, at: now) }
        for outcome in outcomes {
            switch outcome.state {
            case .registered: tally.registered += 1
            case .refund: tally.refunds += 1
            case .worklist: tally.toWorklist += 1
            case .released: tally.released += 1
            case .waiting, .cancelled: break
            }
        }
    }
}
