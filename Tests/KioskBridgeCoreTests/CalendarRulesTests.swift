import Testing
@testable import KioskBridgeCore

func date(_ text: String) -> LocalDate { LocalDate(iso: text)! }
func instant(_ text: String) -> Instant { try! Timestamp.parse(text).get() }

/// identifiers.md "Business days and the debtor's nightly run", and the cycle clock.
@Suite("Business days, the debtor's run and cycle boundaries")
struct CalendarRulesTests {
    let calendar = DanishBusinessDays()

    @Test("Easter follows the Gregorian computus", arguments: [
        (2023, "2023-04-09"), (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
        (2038, "2038-04-25"),
    ])
    func easter(year: Int, sunday: String) {
        #expect(Easter.sunday(year: year) == date(sunday))
    }

    @Test("Copenhagen's summer time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October, also in a month that ends on a Sunday",
          arguments: [
        ("2026-03-29T00:59:59Z", 3600), ("2026-03-29T01:00:00Z", 7200), ("2026-10-25T00:59:59Z", 7200), ("2026-10-25T01:00:00Z", 3600),
        ("2024-03-31T00:59:59Z", 3600), ("2024-03-31T01:00:00Z", 7200), ("2024-03-24T12:00:00Z", 3600),  // 31 March 2024: a Sunday
        ("2021-10-31T00:59:59Z", 7200), ("2021-10-31T01:00:00Z", 3600), ("2021-10-24T12:00:00Z", 7200),  // 31 October 2021: a Sunday
        ("2027-03-28T01:00:00Z", 7200), ("2027-03-27T23:00:00Z", 3600), ("2027-10-31T00:30:00Z", 7200),
    ])
    func summerTime(_ utc: String, _ offset: Int) {
        #expect(CopenhagenTime.offsetSeconds(at: instant(utc)) == offset)
    }

    @Test("confirmWithinBusinessDays: counting business days back skips weekends, holidays and closed days", arguments: [
        ("2026-11-26", 2, "2026-11-24"),   // Thursday → Tuesday
        ("2026-11-23", 2, "2026-11-19"),   // Monday → Thursday, over the weekend
        ("2026-11-30", 4, "2026-11-24"),   // Monday, twice 2 → Tuesday before
        ("2026-12-28", 2, "2026-12-22"),   // over Christmas Eve (closed) and the two Christmas days
        ("2026-04-07", 1, "2026-04-01"),   // Easter Tuesday → the Wednesday before Maundy Thursday
    ])
    func businessDaysBack(_ from: String, _ count: Int, _ expected: String) {
        #expect(calendar.businessDay(count, before: date(from)) == date(expected))
    }

    @Test("Business days: Monday to Friday that is not a public holiday")
    func weekendsAreNotBusinessDays() {
        #expect(calendar.isBusinessDay(date("2026-11-20")))   // Friday
        #expect(!calendar.isBusinessDay(date("2026-11-21")))  // Saturday
        #expect(!calendar.isBusinessDay(date("2026-11-22")))  // Sunday
        #expect(calendar.isBusinessDay(date("2026-11-23")))   // Monday
    }

    @Test("Public holidays: New Year, Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday, Christmas",
          arguments: ["2026-01-01", "2026-04-02", "2026-04-03", "2026-04-06", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-28"])
    func holidaysAreNotBusinessDays(day: String) {
        // 2026-12-28 is a Monday after Christmas: a business day. The others are holidays.
        #expect(calendar.isBusinessDay(date(day)) == (day == "2026-12-28"))
    }

    @Test("Bank closing days 24 and 31 December and 5 June count as closed by default")
    func closingDays() {
        #expect(!calendar.isBusinessDay(date("2026-12-24")))
        #expect(!calendar.isBusinessDay(date("2026-12-31")))
        #expect(!calendar.isBusinessDay(date("2026-06-05")))
        let open = DanishBusinessDays(closedDays: [])
        #expect(open.isBusinessDay(date("2026-12-24")))
    }

    @Test("Store Bededag: a holiday until 2023, a business day from 2024")
    func greatPrayerDay() {
        #expect(!calendar.isBusinessDay(date("2023-05-05")))  // 4th Friday after Easter 2023
        #expect(calendar.isBusinessDay(date("2024-04-26")))   // the same Friday in 2024
    }

    let runs = DebtorSchedule("business-days 21:00", calendar: DanishBusinessDays())!

    @Test("expected in FBS: the first run strictly after the export; Saturday's export is passed on Monday evening")
    func saturdayExportPassedOnMonday() {
        #expect(runs.firstRun(after: instant("2026-11-21T14:20:00+01:00")) == instant("2026-11-23T21:00:00+01:00"))
    }

    @Test("expected in FBS: an export before 21:00 on a business day goes the same evening; at 21:00 the next day")
    func sameEveningOrNextDay() {
        #expect(runs.firstRun(after: instant("2026-11-23T20:40:00+01:00")) == instant("2026-11-23T21:00:00+01:00"))
        #expect(runs.firstRun(after: instant("2026-11-23T21:00:00+01:00")) == instant("2026-11-24T21:00:00+01:00"))
    }

    @Test("expected in FBS: across Easter (Maundy Thursday to Easter Monday)")
    func acrossEaster() {
        #expect(runs.firstRun(after: instant("2026-04-01T22:00:00+02:00")) == instant("2026-04-07T21:00:00+02:00"))
    }

    @Test("expected in FBS: across Christmas and the closing days")
    func acrossChristmas() {
        #expect(runs.firstRun(after: instant("2026-12-23T21:20:00+01:00")) == instant("2026-12-28T21:00:00+01:00"))
        #expect(runs.firstRun(after: instant("2026-12-30T22:00:00+01:00")) == instant("2027-01-04T21:00:00+01:00"))
    }

    @Test("expected in FBS: Store Bededag 2023 was closed, 2024 not")
    func acrossGreatPrayerDay() {
        // Thursday evening before Store Bededag 2023 (Friday 5 May): next run Monday 8 May.
        #expect(runs.firstRun(after: instant("2023-05-04T22:00:00+02:00")) == instant("2023-05-08T21:00:00+02:00"))
        // 2024: Friday 26 April is an ordinary business day.
        #expect(runs.firstRun(after: instant("2024-04-25T22:00:00+02:00")) == instant("2024-04-26T21:00:00+02:00"))
    }

    @Test("[debtor] runs: parsed as days and times; bad values refused")
    func runsParsing() {
        #expect(DebtorSchedule("daily 06:00, 21:00", calendar: calendar)?.times == [360, 1260])
        #expect(DebtorSchedule("business-days 9:00", calendar: calendar) == nil)
        #expect(DebtorSchedule("weekly 21:00", calendar: calendar) == nil)
        #expect(DebtorSchedule("business-days", calendar: calendar) == nil)
    }

    @Test("Cycles run at multiples of [cycle] minutes from local midnight")
    func cycleBoundaries() {
        let schedule = CycleSchedule(minutes: 20)!
        #expect(schedule.boundary(after: instant("2026-11-21T14:07:00+01:00")) == instant("2026-11-21T14:20:00+01:00"))
        #expect(schedule.boundary(after: instant("2026-11-21T14:20:00+01:00")) == instant("2026-11-21T14:40:00+01:00"))
        #expect(schedule.boundary(after: instant("2026-11-21T23:50:00+01:00")) == instant("2026-11-22T00:00:00+01:00"))
        #expect(schedule.boundary(atOrBefore: instant("2026-11-21T14:39:59+01:00")) == instant("2026-11-21T14:20:00+01:00"))
        #expect(CycleSchedule(minutes: 7) == nil)
    }
}

@Suite("Retention of personal data")
struct RetentionRulesTests {
    @Test("Records are kept five years after the end of the financial year they belong to")
    func fiveYearsAfterFinancialYear() {
        let calendarYear = RetentionPeriod(financialYearStart: DanishBusinessDays.MonthDay("01-01")!)
        #expect(calendarYear.keepFrom(today: date("2026-11-21")) == date("2021-01-01"))
        #expect(calendarYear.keepFrom(today: date("2027-01-01")) == date("2022-01-01"))
        let fromJuly = RetentionPeriod(years: 5, financialYearStart: DanishBusinessDays.MonthDay("07-01")!)
        #expect(fromJuly.keepFrom(today: date("2026-06-30")) == date("2020-07-01"))
        #expect(fromJuly.keepFrom(today: date("2026-07-01")) == date("2021-07-01"))
    }
}
