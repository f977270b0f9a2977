public import KioskBridgeCore

/// A date/time layout such as `yyyyMMdd` or `HHmmss`, in Copenhagen local time.
///
/// Fixed-width debtor files write dates without separators in whatever order was agreed
/// locally. The tokens are `yyyy`, `yy`, `MM`, `dd`, `HH`, `mm` and `ss`; anything else
/// in the pattern (`-`, `.`, `T`, spaces) is copied as it stands, and letters that are
/// not part of a token are refused, so that a misspelt `YYYY` is caught when the
/// configuration is read instead of being written literally into a debtor's file.
public struct DateTimePattern: Hashable, Sendable, CustomStringConvertible {
    enum Piece: Hashable, Sendable {
        case year4, year2, month, day, hour, minute, second
        case literal(String)
    }

    let pieces: [Piece]
    public let description: String

    private static let tokens: [(String, Piece)] = [
        ("yyyy", .year4), ("yy", .year2), ("MM", .month), ("dd", .day), ("HH", .hour), ("mm", .minute), ("ss", .second),
    ]

    /// Nil when the pattern holds a letter that is not part of a token.
    public init?(_ pattern: String) {
        var pieces: [Piece] = []
        var rest = Substring(pattern)
        scanning: while let first = rest.first {
            for (token, piece) in Self.tokens where rest.hasPrefix(token) {
                pieces.append(piece)
                rest = rest.dropFirst(token.count)
                continue scanning
            }
            if first.isLetter { return nil }
            pieces.append(.literal(String(first)))
            rest = rest.dropFirst()
        }
        guard !pieces.isEmpty else { return nil }
        self.pieces = pieces
        description = pattern
    }

    /// The instant on a Copenhagen clock, in this pattern.
    public func format(_ instant: Instant) -> String {
        let local = CopenhagenTime.localDateTime(at: instant)
        return pieces.map { piece in
            switch piece {
            case .year4: LocalDate.pad(local.date.year, 4)
            case .year2: LocalDate.pad(local.date.year % 100, 2)
            case .month: LocalDate.pad(local.date.month, 2)
            case .day: LocalDate.pad(local.date.day, 2)
            case .hour: LocalDate.pad(local.hour, 2)
            case .minute: LocalDate.pad(local.minute, 2)
            case .second: LocalDate.pad(local.second, 2)
            case .literal(let text): text
            }
        }.joined()
    }
}
