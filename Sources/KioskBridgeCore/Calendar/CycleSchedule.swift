/// The cycle boundaries: every `minutes` minutes from local midnight (:00, :20, :40).
///
/// Aligning to the clock rather than to when the process started lets a systemd timer,
/// a cron line and `watch` all agree on which cycle a payment belongs to.
public struct CycleSchedule: Sendable {
    public let minutes: Int

    /// Nil unless `minutes` divides a day evenly.
    public init?(minutes: Int) {
        guard minutes > 0, minutes <= 1440, 1440 % minutes == 0 else { return nil }
        self.minutes = minutes
    }

    /// The latest boundary at or before `instant`.
    public func boundary(atOrBefore instant: Instant) -> Instant {
        let local = CopenhagenTime.localDateTime(at: instant)
        var minute = (local.minutesOfDay / minutes) * minutes
        while minute >= 0 {
            if let candidate = resolve(local.date, minute), candidate <= instant { return candidate }
            minute -= minutes
        }
        return CopenhagenTime.startOfDay(local.date)
    }

    /// The first boundary strictly after `instant`.
    public func boundary(after instant: Instant) -> Instant {
        var date = CopenhagenTime.localDate(at: instant)
        for _ in 0..<3 {
            var minute = 0
            while minute < 1440 {
                if let candidate = resolve(date, minute), candidate > instant { return candidate }
                minute += minutes
            }
            date = date.adding(days: 1)
        }
        return instant.adding(seconds: minutes * 60)
    }

    private func resolve(_ date: LocalDate, _ minuteOfDay: Int) -> Instant? {
        guard let local = LocalDateTime(date: date, hour: minuteOfDay / 60, minute: minuteOfDay % 60, second: 0) else { return nil }
        switch CopenhagenTime.resolve(local) {
        case .unique(let at), .ambiguous(let at, _): return at
        case .nonexistent: return nil
        }
    }
}
