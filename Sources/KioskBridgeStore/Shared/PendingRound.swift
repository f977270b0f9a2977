/// One round of the pending pass: whole payers, each payer's claim types as groups, in
/// the order the store read them (payer, claim type, then the order they were paid).
public struct PendingRound {
    let payersPerRound: Int
    private var groups: [(payer: String, type: String, payments: [PendingPayment])] = []
    public private(set) var payerCount = 0

    public init(payersPerRound: Int) {
        self.payersPerRound = max(1, payersPerRound)
    }

    public var isEmpty: Bool { groups.isEmpty }

    /// The distinct payers of the round.
    public var payers: [String] {
        var seen = Set<String>()
        return groups.map(\.payer).filter { seen.insert($0).inserted }
    }

    /// Whether a row of `payer` would start a payer beyond the round's size.
    public func isFull(before payer: String) -> Bool {
        payerCount >= payersPerRound && groups.last?.payer != payer
    }

    public mutating func add(payer: String, type: String, _ payment: PendingPayment) {
        if let last = groups.indices.last, groups[last].payer == payer {
            if groups[last].type == type {
                groups[last].payments.append(payment)
            } else {
                groups.append((payer, type, [payment]))
            }
            return
        }
        groups.append((payer, type, [payment]))
        payerCount += 1
    }

    /// The round's groups with the evidence about each payer's claims of that type.
    public func groups(evidence: [String: [ClaimEvidence]]) -> [PendingGroup] {
        groups.map { group in
            PendingGroup(payer: group.payer, claimType: group.type, payments: group.payments,
                         claims: evidence[group.payer, default: []].filter { $0.claim.claimType == group.type })
        }
    }
}
