import KioskBridgeCore
import KioskBridgeStore
import Testing

/// How the pending pass is cut into rounds, whatever the store.
@Suite("Pending rounds")
struct PendingRoundTests {
    static func row(_ id: RowID, payer: String = "0101901234", type: String = "BIBLIOTEKSGEBYR", released: Int? = nil) -> PendingRow {
        let key = AllocationOrder.PaymentKey(paidAt: Instant(millisecondsSinceEpoch: 1_000 * Int(id)), kioskID: "KIOSK-0042", transactionID: "K\(id)")
        let reallocating = released.map { [ReleasedFBSPart(key: FBSPartKey(payment: id, position: $0), feeID: "9\($0)", amount: Amount(ore: 100))] }
        return PendingRow(payer: payer, type: type, payment: PendingPayment(rowID: id, key: key, amount: Amount(ore: 100),
                                                                            reallocating: reallocating ?? []))
    }

    /// Each round as "payer type: ids", a "+" before a group that goes on from the round before.
    static func cut(_ rows: [PendingRow], payers: Int, payments: Int) -> [[String]] {
        var cutter = PendingRoundCutter(payersPerRound: payers, paymentsPerRound: payments)
        var rounds: [[String]] = []
        var remaining = rows[...]
        while true {
            var round = cutter.startRound()
            while let row = remaining.first, cutter.add(row, to: &round) { remaining.removeFirst() }
            if remaining.first != nil { remaining.removeFirst() }
            guard !round.isEmpty else { break }
            rounds.append(round.groups(evidence: [:]).map {
                "\($0.continuesEarlier ? "+" : "")\($0.payer.suffix(1)) \($0.claimType.prefix(1)): \($0.payments.map { String($0.rowID) }.joined(separator: ","))"
            })
        }
        return rounds
    }

    @Test("A round never ends between two rows of one payment (its parts FBS would not take)")
    func paymentRowsStayTogether() {
        let rows = [Self.row(1, released: 1), Self.row(1, released: 2), Self.row(1, released: 3), Self.row(2)]
        #expect(Self.cut(rows, payers: 10, payments: 1) == [["4 B: 1,1,1"], ["+4 B: 2"]])
    }

    @Test("A round ends between payers at its payers or its payments; a new claim type of the same payer does not go on")
    func roundEnds() {
        let b = "1505851237"
        let rows = [Self.row(1), Self.row(2, type: "ERSTATNING"), Self.row(3, payer: b), Self.row(4, payer: b), Self.row(5, payer: b)]
        #expect(Self.cut(rows, payers: 1, payments: 100) == [["4 B: 1", "4 E: 2"], ["7 B: 3,4,5"]])
        #expect(Self.cut(rows, payers: 10, payments: 1) == [["4 B: 1"], ["4 E: 2"], ["7 B: 3"], ["+7 B: 4"], ["+7 B: 5"]])
    }

    @Test("A cycle takes whole files in order until it holds its payments, and always the first, however large")
    func filesOfACycle() {
        let files: [(id: RowID, payments: Int)] = [(4, 5), (7, 1), (9, 2), (12, 1)]
        let some = PendingFiles(files, paymentsPerCycle: 6)
        #expect(some.taken == [4, 7])
        #expect(some.left == FilesLeft(files: 2, payments: 3))
        let first = PendingFiles(files, paymentsPerCycle: 1)
        #expect(first.taken == [4])
        #expect(first.left == FilesLeft(files: 3, payments: 4))
        #expect(PendingFiles(files, paymentsPerCycle: 1_000_000).left == FilesLeft(files: 0, payments: 0))
    }
}
