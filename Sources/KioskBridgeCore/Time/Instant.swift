/// A moment in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// The bridge stores and compares instants in UTC; local Copenhagen time exists only
/// at the edges, where files are read and where people read dates.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int

    public init(millisecondsSinceEpoch: Int) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int) {
        self.millisecondsSinceEpoch = secondsSinceEpoch * 1000
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    public func adding(seconds: Int) -> Instant { Instant(millisecondsSinceEpoch: millisecondsSinceEpoch + seconds * 1000) }
    public func adding(milliseconds: Int) -> Instant { Instant(millisecondsSinceEpoch: millisecondsSinceEpoch + milliseconds) }

    /// Seconds from `self` to `other` (negative when `other` is earlier).
    public func seconds(until other: Instant) -> Double {
        Double(other.millisecondsSinceEpoch - millisecondsSinceEpoch) / 1000
    }

    /// ISO 8601 in Copenhagen local time with its offset: how the bridge writes times.
    public var description: String { Timestamp.format(self) }
}
