/// A Danish personal identification number (CPR-nummer).
///
/// Every way a CPR number can leave the bridge goes through this type, and it prints
/// itself masked (`010190-****`): logs, error messages, JSON and the desk page never see
/// the whole number by accident. Code that is entitled to the whole number (the debtor
/// export, the database, the desk's reveal) asks for ``digits`` explicitly.
public struct CPRNumber: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The ten digits without hyphen. Use only where the full number is required.
    public let digits: String

    /// Why a text is not a CPR number.
    public enum Problem: Error, Equatable, Sendable {
        case notTenDigits
        case notADate
    }

    /// Accepts `DDMMYYSSSS` and `DDMMYY-SSSS`. The modulus-11 check is deliberately not
    /// applied: numbers issued since 2007 may fail it.
    public init(parsing text: String) throws(Problem) {
        var digits = Array(text.utf8)
        if digits.count == 11, digits[6] == UInt8(ascii: "-") { digits.remove(at: 6) }
        guard digits.count == 10, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .notTenDigits }
        let value = digits.map { Int($0 - 48) }
        let day = value[0] * 10 + value[1]
        let month = value[2] * 10 + value[3]
        let shortYear = value[4] * 10 + value[5]
        let year = CPRNumber.century(seventhDigit: value[6], shortYear: shortYear) + shortYear
        guard LocalDate(year: year, month: month, day: day) != nil else { throw .notADate }
        self.digits = String(decoding: digits, as: UTF8.self)
    }

    /// The century table of the CPR office: the seventh digit and the two-digit year
    /// together say whether a person was born in the 1800s, 1900s or 2000s.
    static func century(seventhDigit: Int, shortYear: Int) -> Int {
        switch seventhDigit {
        case 0...3: return 1900
        case 4, 9: return shortYear <= 36 ? 2000 : 1900
        default: return shortYear <= 57 ? 2000 : 1800
        }
    }

    /// `DDMMYY-****`.
    public var masked: String { String(digits.prefix(6)) + "-****" }

    public var description: String { masked }
    public var debugDescription: String { "CPRNumber(\(masked))" }
}
