import KioskBridgeCore

/// What the bridge asks of FBS (fbs-api.md): who a payer is, which fees they owe, and
/// registering the whole fees a kiosk payment pays.
///
/// Every call either answers or throws an ``FBSError``; none retries beyond the one repeat
/// after a renewed login. Waiting and retrying across cycles is the caller's business, and
/// safe for payments because the orderId makes a repeat idempotent.
public protocol FBSService: Sendable {
    /// The patron with this CPR number, or nil when FBS knows none (`INVALID`). The number
    /// travels in the request body only.
    func findPatron(cpr: CPRNumber) async throws(FBSError) -> FBSPatron?

    /// The patron's unpaid fees, including those handed to the debtor system
    /// (`includepaid=false&includenonpayable=true`), in FBS's order.
    func unpaidFees(of patron: FBSPatronID) async throws(FBSError) -> [FBSFee]

    /// Registers `order` and answers one result per fee, in the order's fee order.
    func registerPayment(_ order: FBSPaymentOrder, for patron: FBSPatronID) async throws(FBSError) -> [FBSPaymentResult]
}
