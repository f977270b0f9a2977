/// Europe/Copenhagen: CET (+01:00) in winter, CEST (+02:00) in summer.
///
/// Written out rather than read from the system's zone database so that the rules the
/// bridge depends on (which local times do not exist or are ambiguous, which day an
/// export belongs to) are the same on every server and are tested here. Summer time
/// runs from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
/// the EU rule in force since 1996.
public enum CopenhagenTime {
    /// How a wall-clock time maps to instants.
    public enum Resolution: Equatable, Sendable {
        case unique(Instant)
        /// The autumn hour that occurs twice.
        case ambiguous(Instant, Instant)
        /// The spring hour that never occurs.
        case nonexistent
    }

    /// The offset from UTC in seconds at an instant.
    public static func offsetSeconds(at instant: Instant) -> Int {
        let utc = LocalDateTime(wallMilliseconds: instant.millisecondsSinceEpoch)
        let year = utc.date.year
        let start = summerTimeBoundary(year: year, month: 3)
        let end = summerTimeBoundary(year: year, month: 10)
        let ms = instant.millisecondsSinceEpoch
        return ms >= start && ms < end ? 7200 : 3600
    }

    /// 01:00 UTC on the last Sunday of the month (March or October, both of 31 days), in
    /// milliseconds since the epoch. Worked out rather than searched for: every timestamp an
    /// export writes asks for two of these.
    static func summerTimeBoundary(year: Int, month: Int) -> Int {
        guard let lastDay = LocalDate(year: year, month: month, day: 31) else { return 0 }
        let lastSunday = lastDay.daysSinceEpoch - lastDay.weekday % 7
        return (lastSunday * 86_400 + 3600) * 1000
    }

    public static func localDateTime(at instant: Instant) -> LocalDateTime {
        LocalDateTime(wallMilliseconds: instant.millisecondsSinceEpoch + offsetSeconds(at: instant) * 1000)
    }

    public static func localDate(at instant: Instant) -> LocalDate { localDateTime(at: instant).date }

    /// The instants at which Copenhagen clocks show `local`.
    public static func resolve(_ local: LocalDateTime) -> Resolution {
        let wall = local.wallMilliseconds
        let candidates = [3600, 7200].map { Instant(millisecondsSinceEpoch: wall - $0 * 1000) }
            .filter { offsetSeconds(at: $0) * 1000 == wall - $0.millisecondsSinceEpoch }
        switch candidates.count {
        case 0: return .nonexistent
        case 1: return .unique(candidates[0])
        default: return .ambiguous(min(candidates[0], candidates[1]), max(candidates[0], candidates[1]))
        }
    }

    /// The first instant of a local day (midnight always exists in Copenhagen).
    public static func startOfDay(_ date: LocalDate) -> Instant {
        let midnight = LocalDateTime(wallMilliseconds: date.daysSinceEpoch * 86_400_000)
        switch resolve(midnight) {
        case .unique(let instant), .ambiguous(let instant, _): return instant
        case .nonexistent: return Instant(millisecondsSinceEpoch: midnight.wallMilliseconds - 3_600_000)
        }
    }
}
