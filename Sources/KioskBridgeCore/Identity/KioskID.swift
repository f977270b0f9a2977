/// The name a kiosk gives itself in its file headers.
///
/// The kiosk id becomes part of file names in the archive and of every lookup, so it is
/// restricted to a safe alphabet: it must never be able to name a path (`..`, `/`).
public struct KioskID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    public static let expectation = "1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or a digit"

    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count) else { return nil }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
        }
        guard isAlphanumeric(bytes[0]) else { return nil }
        guard bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return nil }
        value = text
    }

    public var description: String { value }
    public static func < (lhs: KioskID, rhs: KioskID) -> Bool { lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8) }
}
