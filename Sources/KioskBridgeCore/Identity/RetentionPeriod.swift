/// How long personal data is kept: by default five years after the end of the financial
/// year in which it was recorded (the accounting law's rule for bookkeeping material).
public struct RetentionPeriod: Sendable, Hashable {
    public let years: Int
    /// The first day of the financial year (municipalities: 1 January).
    public let financialYearStart: DanishBusinessDays.MonthDay

    public init(years: Int = 5, financialYearStart: DanishBusinessDays.MonthDay) {
        self.years = years
        self.financialYearStart = financialYearStart
    }

    /// The earliest date whose records must still be kept on `today`: everything before it
    /// belongs to financial years that ended at least `years` years ago.
    public func keepFrom(today: LocalDate) -> LocalDate {
        let startThisYear = LocalDate(year: today.year, month: financialYearStart.month, day: min(financialYearStart.day, 28))
            ?? today
        let currentStart = today < startThisYear
            ? (LocalDate(year: today.year - 1, month: startThisYear.month, day: startThisYear.day) ?? startThisYear)
            : startThisYear
        return LocalDate(year: currentStart.year - years, month: currentStart.month, day: currentStart.day) ?? currentStart
    }
}
