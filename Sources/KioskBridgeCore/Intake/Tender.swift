/// How the patron paid.
public enum Tender: String, Sendable, CaseIterable, Hashable {
    case cash = "CASH"
    case card = "CARD"
    case mobilePay = "MOBILEPAY"

    public static let expectation = "CASH, CARD or MOBILEPAY"
}
