/// A Danish company number (CVR-nummer). Public information, so it is never masked.
public struct CVRNumber: Hashable, Sendable, CustomStringConvertible {
    public let digits: String

    public enum Problem: Error, Equatable, Sendable {
        case notEightDigits
        case leadingZero
        case checksum
    }

    private static let weights = [2, 7, 6, 5, 4, 3, 2, 1]

    public init(parsing text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw .notEightDigits }
        guard bytes[0] != 48 else { throw .leadingZero }
        let sum = zip(bytes, CVRNumber.weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        guard sum % 11 == 0 else { throw .checksum }
        digits = text
    }

    public var description: String { digits }
}
