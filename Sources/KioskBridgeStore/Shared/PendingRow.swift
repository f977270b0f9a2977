/// One row of the pending pass as a store reads it.
public struct PendingRow {
    public let payer: String
    public let type: String
    public let payment: PendingPayment

    public init(payer: String, type: String, payment: PendingPayment) {
        self.payer = payer
        self.type = type
        self.payment = payment
    }
}
