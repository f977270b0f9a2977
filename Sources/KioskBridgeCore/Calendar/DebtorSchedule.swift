/// When the debtor system passes payments on to FBS (`[debtor] runs`).
///
/// A patron stays blocked in the library system until that run has happened, so the
/// desk's most useful answer is the first run strictly after the export: an export on a
/// Saturday afternoon is passed on Monday evening.
public struct DebtorSchedule: Sendable, CustomStringConvertible {
    public enum Days: String, Sendable {
        case businessDays = "business-days"
        case daily
    }

    public let days: Days
    /// Minutes after local midnight, sorted.
    public let times: [Int]
    public let calendar: DanishBusinessDays

    public static let expectation = "\"business-days HH:MM\" or \"daily HH:MM\", several times separated by commas (e.g. \"business-days 21:00\")"

    /// Parses `business-days 21:00` or `daily 06:00, 21:00`.
    public init?(_ text: String, calendar: DanishBusinessDays) {
        let trimmed = text.trimmingWhitespace
        guard let space = trimmed.firstIndex(of: " "), let days = Days(rawValue: String(trimmed[..<space])) else { return nil }
        var times: [Int] = []
        for part in trimmed[trimmed.index(after: space)...].split(separator: ",") {
            let time = String(part).trimmingWhitespace
            let pieces = time.split(separator: ":")
            guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
                  let hour = Int(pieces[0]), let minute = Int(pieces[1]),
                  (0...23).contains(hour), (0...59).contains(minute) else { return nil }
            times.append(hour * 60 + minute)
        }
        guard !times.isEmpty else { return nil }
        self.days = days
        self.times = Array(Set(times)).sorted()
        self.calendar = calendar
    }

    public var description: String {
        days.rawValue + " " + times.map { "\(LocalDate.pad($0 / 60, 2)):\(LocalDate.pad($0 % 60, 2))" }.joined(separator: ", ")
    }

    /// The first run strictly after `instant`.
    public func firstRun(after instant: Instant) -> Instant? {
        var date = CopenhagenTime.localDate(at: instant)
        for _ in 0..<400 {
            if days == .daily || calendar.isBusinessDay(date) {
                for minutes in times {
                    guard let local = LocalDateTime(date: date, hour: minutes / 60, minute: minutes % 60, second: 0) else { continue }
                    let run: Instant
                    switch CopenhagenTime.resolve(local) {
                    case .unique(let at), .ambiguous(let at, _): run = at
                    case .nonexistent: continue
                    }
                    if run > instant { return run }
                }
            }
            date = date.adding(days: 1)
        }
        return nil
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
