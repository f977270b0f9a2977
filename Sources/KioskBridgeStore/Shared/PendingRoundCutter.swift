/// Cuts a store's sorted pending rows into rounds: the row that ends one round starts the
/// next. Both stores read their rows through it, so a round ends at the same row in each.
public struct PendingRoundCutter {
    let payersPerRound: Int
    let paymentsPerRound: Int
    /// The first row of the next round, read while finding the end of this one.
    private var lookahead: PendingRow?
    private var lookaheadContinues = false

    public init(payersPerRound: Int, paymentsPerRound: Int) {
        self.payersPerRound = payersPerRound
        self.paymentsPerRound = paymentsPerRound
    }

    /// A new round, holding the row that ended the one before.
    public mutating func startRound() -> PendingRound {
        var round = PendingRound(payersPerRound: payersPerRound, paymentsPerRound: paymentsPerRound,
                                 continuesEarlier: lookaheadContinues)
        if let first = lookahead { round.add(first) }
        lookahead = nil
        lookaheadContinues = false
        return round
    }

    /// Adds `row` to `round`; false when the round was full, and the row is kept for the next.
    public mutating func add(_ row: PendingRow, to round: inout PendingRound) -> Bool {
        if round.isFull(before: row) {
            lookaheadContinues = round.continues(with: row)
            lookahead = row
            return false
        }
        round.add(row)
        return true
    }
}
