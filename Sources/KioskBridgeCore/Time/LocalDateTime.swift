/// A wall-clock date and time, as read on a clock in Copenhagen.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: LocalDate
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let millisecond: Int

    public init?(date: LocalDate, hour: Int, minute: Int, second: Int, millisecond: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              (0...999).contains(millisecond) else { return nil }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Milliseconds since 1970-01-01T00:00 on this wall clock (as if it were UTC).
    public var wallMilliseconds: Int {
        ((date.daysSinceEpoch * 86_400) + hour * 3600 + minute * 60 + second) * 1000 + millisecond
    }

    public init(wallMilliseconds: Int) {
        let days = wallMilliseconds >= 0 ? wallMilliseconds / 86_400_000 : (wallMilliseconds - 86_399_999) / 86_400_000
        var rest = wallMilliseconds - days * 86_400_000
        date = LocalDate(daysSinceEpoch: days)
        hour = rest / 3_600_000
        rest -= hour * 3_600_000
        minute = rest / 60_000
        rest -= minute * 60_000
        second = rest / 1000
        millisecond = rest - second * 1000
    }

    public var minutesOfDay: Int { hour * 60 + minute }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.wallMilliseconds < rhs.wallMilliseconds }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        "\(date)T\(LocalDate.pad(hour, 2)):\(LocalDate.pad(minute, 2)):\(LocalDate.pad(second, 2))"
    }
}
