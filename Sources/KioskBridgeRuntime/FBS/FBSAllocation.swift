public import KioskBridgeCore
import KioskBridgeFBS
public import KioskBridgeStore

/// Allocation over old fees in the `fbs` mode: for a payer FBS answered for, FBS's live fees
/// that a client may take payment for replace the snapshots' FBS claims, and each part on
/// an old fee gets its way to FBS (FBSPartPlan).
public struct FBSAllocation: Sendable {
    let live: LiveFees
    let settings: FBSSettings
    /// The bridge's parts on the live fees that FBS may not show yet, by fee id.
    let unreflected: [String: [UnreflectedFBSPart]]

    public init(live: LiveFees, settings: FBSSettings, unreflected: [UnreflectedFBSPart]) {
        self.live = live
        self.settings = settings
        self.unreflected = Dictionary(grouping: unreflected, by: \.feeID)
    }

    /// Every live fee id, for the store's lookup of the bridge's parts on them.
    public static func feeIDs(of live: LiveFees) -> [String] {
        live.byPayer.values.flatMap { $0.fees.filter(\.payableByClient).map { String($0.id) } }.sorted()
    }

    /// The group's claims with FBS's answer in place of the snapshots' FBS claims. A fee FBS
    /// would not take from the bridge once is not offered to it again.
    func claims(of group: PendingGroup, snapshotClaims: [AllocatableClaim]) -> [AllocatableClaim] {
        let refused = Set(unreflected.values.joined().filter { $0.state == .released }.map(\.feeID))
        guard let answer = live.byPayer[group.payer] else {
            return snapshotClaims.filter { $0.payableIn == .debtor || !refused.contains($0.id) }
        }
        let fees = answer.fees.filter { $0.payableByClient && settings.claimType(of: $0) == group.claimType && !refused.contains(String($0.id)) }
        return snapshotClaims.filter { $0.payableIn == .debtor } + fees.map { fee in
            AllocatableClaim(id: String(fee.id), createdOn: fee.createdOn, dueOn: fee.dueOn, payableIn: .fbs,
                             remaining: outstanding(of: fee))
        }
    }

    /// FBS's amount less the bridge's parts on the fee that FBS does not show yet; never below zero.
    func outstanding(of fee: FBSFee) -> Amount {
        let pending = (unreflected[String(fee.id)] ?? []).filter { $0.isUnreflected(listed: fee.amount) }.reduce(0) { $0 + $1.amount.ore }
        return Amount(ore: max(0, fee.amount.ore - pending))
    }

    /// How each of a payment's parts on an old fee reaches FBS, by position (from 1).
    func plans(for parts: [AllocationPart], payer: String) -> [Int: FBSPartPlan] {
        var plans: [Int: FBSPartPlan] = [:]
        for (index, part) in parts.enumerated() where part.kind == .payment && part.channel == .fbs {
            plans[index + 1] = plan(for: part, payer: payer)
        }
        return plans
    }

    private func plan(for part: AllocationPart, payer: String) -> FBSPartPlan {
        guard case .person? = Payer(storedDigits: payer) else {
            return .worklist(feeAmount: nil, reason: "a company has no patron in FBS")
        }
        guard let feeID = part.claimID, Int64(feeID) != nil else {
            return .worklist(feeAmount: nil, reason: "the claim id is not an FBS fee number")
        }
        guard let answer = live.byPayer[payer] else {
            // FBS could not be asked: the fee comes from a snapshot, and is checked against
            // FBS's own amount before it is registered.
            return .register(feeAmount: nil)
        }
        guard let fee = answer.fees.first(where: { String($0.id) == feeID }) else {
            return .worklist(feeAmount: nil, reason: "FBS does not list the fee")
        }
        if part.amount == fee.amount, outstanding(of: fee) == fee.amount {
            return .register(feeAmount: fee.amount)
        }
        return .worklist(feeAmount: fee.amount,
                         reason: "pays \(part.amount.danishText) of the fee's \(fee.amount.danishText): FBS takes whole fees only")
    }
}
