extension DanishBusinessDays {
    /// The business day `count` business days before `date` (`date` itself not counted):
    /// from Thursday, 2 business days back is Tuesday. An export made before that day was
    /// made more than `count` business days ago.
    public func businessDay(_ count: Int, before date: LocalDate) -> LocalDate {
        var day = date
        var found = 0
        // A year holds far more business days than any deadline counts; the bound keeps a
        // configuration of closed days that closes every day from looping forever.
        for _ in 0..<(366 * 3) where found < count {
            day = day.adding(days: -1)
            if isBusinessDay(day) { found += 1 }
        }
        return day
    }
}
