import KioskBridgeCore

/// Dates, times and amounts the way a Danish reader expects them (`21. november 2026 kl.
/// 14.02`, `40,00 kr.`), or in English on request. Always Copenhagen time.
struct DeskDates {
    let language: DeskLanguage

    static let danishMonths = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                               "oktober", "november", "december"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                                "October", "November", "December"]
    static let danishWeekdays = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    static let englishWeekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    func date(_ date: LocalDate) -> String {
        language == .danish
            ? "\(date.day). \(Self.danishMonths[date.month - 1]) \(date.year)"
            : "\(date.day) \(Self.englishMonths[date.month - 1]) \(date.year)"
    }

    func weekday(_ date: LocalDate) -> String {
        (language == .danish ? Self.danishWeekdays : Self.englishWeekdays)[date.weekday - 1]
    }

    /// `14.02` in Danish, `14:02` in English.
    func clock(_ time: LocalDateTime) -> String {
        let separator = language == .danish ? "." : ":"
        return LocalDate.pad(time.hour, 2) + separator + LocalDate.pad(time.minute, 2)
    }

    /// `21. november 2026 kl. 14.02`.
    func moment(_ instant: Instant) -> String {
        let local = CopenhagenTime.localDateTime(at: instant)
        return language == .danish ? "\(date(local.date)) kl. \(clock(local))" : "\(date(local.date)), \(clock(local))"
    }

    /// `40,00 kr.` (Danish) or `DKK 40.00` (English).
    func amount(_ amount: Amount) -> String {
        language == .danish ? amount.danishText : "DKK " + amount.formatted(decimalSeparator: ".")
    }

    /// When FBS will show a payment, as the desk says it to the patron: "i dag efter kl.
    /// 21", "i morgen efter kl. 21", "mandag efter kl. 21", "mandag 28. december efter kl.
    /// 21"; or that it should show it already.
    func expectedInFBS(_ expected: Instant, now: Instant) -> String {
        let when = CopenhagenTime.localDateTime(at: expected)
        let today = CopenhagenTime.localDate(at: now)
        let time = language.pick("efter kl. \(clock(when))", "after \(clock(when))")
        if expected <= now {
            return language.pick("FBS bør allerede vise betalingen (overført \(weekday(when.date)) \(date(when.date)) kl. \(clock(when)))",
                                 "FBS should show the payment already (passed on \(weekday(when.date)) \(date(when.date)) at \(clock(when)))")
        }
        let days = when.date.daysSinceEpoch - today.daysSinceEpoch
        switch days {
        case 0: return language.pick("i dag ", "today ") + time
        case 1: return language.pick("i morgen ", "tomorrow ") + time
        case 2...6: return "\(weekday(when.date)) " + time
        default: return "\(weekday(when.date)) \(date(when.date)) " + time
        }
    }
}
