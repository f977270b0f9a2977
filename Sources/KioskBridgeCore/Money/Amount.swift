/// A sum of Danish money in whole øre.
///
/// Kiosk files, snapshots and debtor files all speak in kroner with two decimals, but
/// every rule of the bridge (trailer sums, allocation, reconciliation) must hold to the
/// øre. Holding amounts as integers makes that exact; there is no floating point
/// anywhere between a kiosk file and an export file.
public struct Amount: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The amount in øre (1 krone = 100 øre). Negative for reversals.
    public let ore: Int

    public init(ore: Int) {
        self.ore = ore
    }

    public static let zero = Amount(ore: 0)

    public var isPositive: Bool { ore > 0 }

    /// The amount without its sign, for formats that carry the direction separately.
    public var magnitude: Amount { Amount(ore: ore == .min ? .max : abs(ore)) }

    public static func + (lhs: Amount, rhs: Amount) -> Amount { Amount(ore: lhs.ore + rhs.ore) }
    public static func - (lhs: Amount, rhs: Amount) -> Amount { Amount(ore: lhs.ore - rhs.ore) }
    public static prefix func - (amount: Amount) -> Amount { Amount(ore: -amount.ore) }
    public static func += (lhs: inout Amount, rhs: Amount) { lhs = lhs + rhs }
    public static func -= (lhs: inout Amount, rhs: Amount) { lhs = lhs - rhs }
    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.ore < rhs.ore }

    /// Adds without trapping: a hostile file can hold enough large amounts to overflow.
    public func adding(_ other: Amount) -> Amount? {
        let (sum, overflow) = ore.addingReportingOverflow(other.ore)
        return overflow ? nil : Amount(ore: sum)
    }

    /// `1234,50` with a decimal comma, the way kiosk and csv export files write it.
    public var description: String { formatted(decimalSeparator: ",") }

    /// Two decimals, no thousands separators, a leading `-` when negative.
    public func formatted(decimalSeparator: Character) -> String {
        let magnitude = ore.magnitude
        let kroner = magnitude / 100
        let rest = magnitude % 100
        let sign = ore < 0 ? "-" : ""
        return "\(sign)\(kroner)\(decimalSeparator)\(rest < 10 ? "0" : "")\(rest)"
    }

    /// `1.234,50 kr.`: how Danish people read an amount on a page or a receipt.
    public var danishText: String {
        let magnitude = ore.magnitude
        var kroner = String(magnitude / 100)
        var grouped = ""
        while kroner.count > 3 {
            grouped = "." + kroner.suffix(3) + grouped
            kroner.removeLast(3)
        }
        let rest = magnitude % 100
        return "\(ore < 0 ? "-" : "")\(kroner)\(grouped),\(rest < 10 ? "0" : "")\(rest) kr."
    }
}
