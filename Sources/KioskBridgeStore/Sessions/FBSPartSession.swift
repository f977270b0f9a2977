public import KioskBridgeCore

/// The cycle's steps for parts on old fees in the `fbs` mode (FBSPartSchema): what to ask
/// FBS about, the intents waiting for a call, and FBS's answers.
public protocol FBSPartSession: AnyObject {
    /// The CPR numbers (digits) of the payers of the payments awaiting allocation, sorted:
    /// whose fees the cycle asks FBS for before it allocates.
    func pendingCPRPayers() async throws -> [String]
    /// The bridge's parts on these fees that are waiting or on the worklist.
    func unreflectedFBSParts(feeIDs: [String]) async throws -> [UnreflectedFBSPart]
    /// Every part waiting to be registered, in the order of their payments and positions.
    func waitingFBSParts() async throws -> [WaitingFBSPart]
    /// Counts a call about to be made for these parts; committed before the call, so that a
    /// crash during it leaves a part that is only ever repeated with the same order.
    func markFBSTried(_ keys: [FBSPartKey], at: Instant) async throws
    /// FBS's answers, each with its trail row. A part no longer waiting is left as it is.
    func recordFBSOutcomes(_ outcomes: [FBSPartOutcome], at: Instant) async throws
    /// Puts the parts that are to go to the worklist (refunds, and those FBS did not take or
    /// answer for; waiting since before `givingUpBefore`, with `reason`) into this cycle's
    /// worklist run. Returns how many were handed over.
    func handOverFBSParts(cycleID: RowID, at: Instant, givingUpBefore: Instant, reason: String) async throws -> Int
}
