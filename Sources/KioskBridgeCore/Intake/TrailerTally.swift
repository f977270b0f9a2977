/// The trailer rule: a file proves it is complete by counting its `D` and `V` records and
/// summing `D` amounts minus `V` amounts, as written, valid or not.
///
/// A file whose trailer does not match is rejected as a whole: nothing from it is booked.
public struct TrailerTally: Sendable {
    public private(set) var count = 0
    public private(set) var sum = Amount.zero

    public init() {}

    public mutating func countPayment(_ amount: Amount, line: Int) throws(IntakeProblem) {
        try add(amount, line: line)
    }

    public mutating func countVoid(_ amount: Amount, line: Int) throws(IntakeProblem) {
        try add(-amount, line: line)
    }

    private mutating func add(_ amount: Amount, line: Int) throws(IntakeProblem) {
        guard let next = sum.adding(amount) else {
            throw IntakeProblem(.unreadableAmount, line: line, expected: "amounts whose sum fits the trailer (the running sum overflowed)")
        }
        sum = next
        count += 1
    }

    /// Compares with what the trailer says. `countText` is the trailer's count as written.
    public func check(countText: String, sum trailerSum: Amount, line: Int, column: Int? = nil, xml: Bool = false,
                      decimalSeparator: Character) throws(IntakeProblem) {
        typealias F = RecordField.Trailer
        guard let declared = Int(countText), declared >= 0, countText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw IntakeProblem(.trailerMismatch, line: line, column: column, field: F.count, found: countText,
                                expected: "a whole number", xml: xml)
        }
        guard declared == count else {
            throw IntakeProblem(.trailerMismatch, line: line, column: column, field: F.count, found: countText,
                                expected: "\(count) (the number of D and V records in the file)", xml: xml)
        }
        guard trailerSum == sum else {
            throw IntakeProblem(.trailerMismatch, line: line, column: column, field: F.sum,
                                found: trailerSum.formatted(decimalSeparator: decimalSeparator),
                                expected: "\(sum.formatted(decimalSeparator: decimalSeparator)) (the D amounts minus the V amounts in the file)",
                                xml: xml)
        }
    }
}
