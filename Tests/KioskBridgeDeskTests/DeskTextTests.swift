import Testing
import KioskBridgeCore
@testable import KioskBridgeDesk

/// How the desk says dates, amounts and when FBS will show a payment.
@Suite("Desk: Danish dates and the expected-in-FBS phrase")
struct DeskTextTests {
    static func instant(_ text: String) -> Instant { (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0) }

    @Test("Expected in FBS: today, tomorrow, a weekday this week, a later date, or already", arguments: [
        ("2026-11-23T10:00:00+01:00", "2026-11-23T21:00:00+01:00", "i dag efter kl. 21.00"),
        ("2026-11-23T22:00:00+01:00", "2026-11-24T21:00:00+01:00", "i morgen efter kl. 21.00"),
        ("2026-11-21T15:00:00+01:00", "2026-11-23T21:00:00+01:00", "mandag efter kl. 21.00"),
        ("2026-12-23T15:00:00+01:00", "2026-12-28T21:00:00+01:00", "mandag efter kl. 21.00"),
        ("2026-12-20T15:00:00+01:00", "2026-12-28T21:00:00+01:00", "mandag 28. december 2026 efter kl. 21.00"),
        ("2026-11-24T08:00:00+01:00", "2026-11-23T21:00:00+01:00", "FBS bør allerede vise betalingen (overført mandag 23. november 2026 kl. 21.00)"),
    ])
    func expectedInFBS(now: String, expected: String, text: String) {
        #expect(DeskDates(language: .danish).expectedInFBS(Self.instant(expected), now: Self.instant(now)) == text)
    }

    @Test("Amounts and moments in Danish and in English")
    func amountsAndMoments() {
        let danish = DeskDates(language: .danish)
        let english = DeskDates(language: .english)
        #expect(danish.amount(Amount(ore: 123_456)) == "1.234,56 kr.")
        #expect(english.amount(Amount(ore: 123_456)) == "DKK 1234.56")
        #expect(danish.moment(Self.instant("2026-07-01T09:05:00+02:00")) == "1. juli 2026 kl. 09.05")
        #expect(english.moment(Self.instant("2026-07-01T09:05:00+02:00")) == "1 July 2026, 09:05")
        #expect(english.expectedInFBS(Self.instant("2026-11-24T21:00:00+01:00"), now: Self.instant("2026-11-23T22:00:00+01:00")) == "tomorrow after 21:00")
    }
}
