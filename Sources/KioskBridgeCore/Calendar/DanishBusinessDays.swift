/// Which days are business days (hverdage) in Denmark.
///
/// The debtor passes payments on to FBS only on business days, so this calendar decides
/// what the desk tells a patron about when the library system will show a payment.
/// Public holidays are fixed by law; bank closing days (24 and 31 December, 5 June by
/// default) come from the configuration.
public struct DanishBusinessDays: Sendable {
    /// A day of the year such as 12-24, for closing days that recur every year.
    public struct MonthDay: Hashable, Sendable, CustomStringConvertible {
        public let month: Int
        public let day: Int

        /// Parses `MM-DD`.
        public init?(_ text: String) {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
                  let month = Int(parts[0]), let day = Int(parts[1]),
                  LocalDate(year: 2024, month: month, day: day) != nil else { return nil }
            self.month = month
            self.day = day
        }

        public var description: String { "\(LocalDate.pad(month, 2))-\(LocalDate.pad(day, 2))" }
    }

    public static let defaultClosedDays = ["12-24", "12-31", "06-05"].compactMap(MonthDay.init)

    public let closedDays: Set<MonthDay>

    public init(closedDays: [MonthDay] = DanishBusinessDays.defaultClosedDays) {
        self.closedDays = Set(closedDays)
    }

    /// The Danish public holidays of a year, by name.
    public static func publicHolidays(year: Int) -> [(date: LocalDate, name: String)] {
        let easter = Easter.sunday(year: year)
        var holidays: [(LocalDate, String)] = [
            (LocalDate(year: year, month: 1, day: 1) ?? easter, "Nytårsdag"),
            (easter.adding(days: -3), "Skærtorsdag"),
            (easter.adding(days: -2), "Langfredag"),
            (easter, "Påskedag"),
            (easter.adding(days: 1), "2. påskedag"),
            (easter.adding(days: 39), "Kristi himmelfartsdag"),
            (easter.adding(days: 49), "Pinsedag"),
            (easter.adding(days: 50), "2. pinsedag"),
            (LocalDate(year: year, month: 12, day: 25) ?? easter, "Juledag"),
            (LocalDate(year: year, month: 12, day: 26) ?? easter, "2. juledag"),
        ]
        // Store Bededag was abolished as a public holiday from 2024.
        if year <= 2023 { holidays.append((easter.adding(days: 26), "Store bededag")) }
        return holidays.sorted { $0.0 < $1.0 }
    }

    public func isPublicHoliday(_ date: LocalDate) -> Bool {
        DanishBusinessDays.publicHolidays(year: date.year).contains { $0.date == date }
    }

    public func isClosedDay(_ date: LocalDate) -> Bool {
        closedDays.contains { $0.month == date.month && $0.day == date.day }
    }

    public func isBusinessDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !isPublicHoliday(date) && !isClosedDay(date)
    }
}
