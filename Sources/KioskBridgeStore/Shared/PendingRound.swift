/// One round of the pending pass: payers, each payer's claim types as groups, in the order
/// the store read them (payer, claim type, then the order they were paid).
///
/// A round ends between payers once it has `payersPerRound` payers or `paymentsPerRound`
/// payments, and inside a payer's payments once it has `paymentsPerRound` of them: the
/// allocation holds one round in memory, and one payer may have millions of payments in a
/// cycle (a hostile or broken kiosk file). It never ends between two rows of one payment
/// (a payment's parts that FBS would not take come one row each).
public struct PendingRound {
    let payersPerRound: Int
    let paymentsPerRound: Int
    private var groups: [(payer: String, type: String, payments: [PendingPayment])] = []
    /// Whether the first group goes on with the last group of the round before.
    private let continuesEarlier: Bool
    public private(set) var payerCount = 0
    public private(set) var paymentCount = 0

    public init(payersPerRound: Int, paymentsPerRound: Int = .max, continuesEarlier: Bool = false) {
        self.payersPerRound = max(1, payersPerRound)
        self.paymentsPerRound = max(1, paymentsPerRound)
        self.continuesEarlier = continuesEarlier
    }

    public var isEmpty: Bool { groups.isEmpty }

    /// The distinct payers of the round.
    public var payers: [String] {
        var seen = Set<String>()
        return groups.map(\.payer).filter { seen.insert($0).inserted }
    }

    /// Whether `row` belongs to the next round.
    public func isFull(before row: PendingRow) -> Bool {
        guard let last = groups.last else { return false }
        if last.payer != row.payer {
            return payerCount >= payersPerRound || paymentCount >= paymentsPerRound
        }
        return paymentCount >= paymentsPerRound && last.payments.last?.rowID != row.payment.rowID
    }

    /// Whether `row`, kept for the next round, goes on with this round's last group.
    func continues(with row: PendingRow) -> Bool {
        groups.last.map { $0.payer == row.payer && $0.type == row.type } ?? false
    }

    public mutating func add(_ row: PendingRow) {
        paymentCount += 1
        if let last = groups.indices.last, groups[last].payer == row.payer {
            if groups[last].type == row.type {
                groups[last].payments.append(row.payment)
            } else {
                groups.append((row.payer, row.type, [row.payment]))
            }
            return
        }
        groups.append((row.payer, row.type, [row.payment]))
        payerCount += 1
    }

    /// The round's groups with the evidence about each payer's claims of that type.
    public func groups(evidence: [String: [ClaimEvidence]]) -> [PendingGroup] {
        groups.enumerated().map { index, group in
            PendingGroup(payer: group.payer, claimType: group.type, payments: group.payments,
                         claims: evidence[group.payer, default: []].filter { $0.claim.claimType == group.type },
                         continuesEarlier: index == 0 && continuesEarlier)
        }
    }
}
