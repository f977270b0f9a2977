import Testing
@testable import KioskBridgeCore

/// identifiers.md: CPR and CVR numbers, amounts, timestamps.
@Suite("identifiers.md")
struct IdentifiersRulesTests {
    @Test("CPR: written with or without a hyphen after the sixth digit, stored without")
    func cprWithOrWithoutHyphen() throws {
        #expect(try CPRNumber(parsing: "010190-1234").digits == "0101901234")
        #expect(try CPRNumber(parsing: "0101901234").digits == "0101901234")
    }

    @Test("CPR: DDMMYY must be a real calendar date, with the century from the 7th digit",
          arguments: [
              ("2902001234", false), // 7th digit 1: 1900, not a leap year
              ("2902004234", true),  // 7th digit 4, YY 00: 2000, a leap year
              ("2902009234", true),  // 7th digit 9, YY 00: 2000
              ("2902005234", true),  // 7th digit 5, YY 00: 2000
              ("2902585234", false), // 7th digit 5, YY 58: 1858, not a leap year
              ("2902645234", true),  // 7th digit 5, YY 64: 1864, a leap year
              ("3102901234", false), // 31 February
              ("0013901234", false), // month 13
              ("0001901234", false), // day 0
          ])
    func cprDateMustExist(cpr: String, valid: Bool) {
        #expect(((try? CPRNumber(parsing: cpr)) != nil) == valid)
    }

    @Test("CPR: the century table", arguments: [
        (0, 20, 1900), (3, 99, 1900), (4, 36, 2000), (4, 37, 1900), (9, 0, 2000), (9, 58, 1900),
        (5, 57, 2000), (5, 58, 1800), (8, 99, 1800), (6, 0, 2000),
    ])
    func centuryTable(seventh: Int, year: Int, century: Int) {
        #expect(CPRNumber.century(seventhDigit: seventh, shortYear: year) == century)
    }

    @Test("CPR: the modulus-11 check is not a validity rule")
    func cprFailingModulus11IsAccepted() throws {
        // 0101901234 fails modulus 11 (weights 4,3,2,7,6,5,4,3,2,1 give 152).
        let weights = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]
        let sum = zip("0101901234".compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(sum % 11 != 0)
        #expect(try Payer(parsing: "0101901234") == .person(CPRNumber(parsing: "0101901234")))
    }

    @Test("CPR: letters, wrong length and impossible dates are rejected", arguments: [
        "01019O1234", "010190123", "01019012345", "010190+1234", "0101-901234", "", "abcdefghij", "3102901234",
    ])
    func malformedPayersAreRejected(text: String) {
        #expect(throws: Payer.Problem.self) { try Payer(parsing: text) }
    }

    @Test("CPR: masked as DDMMYY-**** wherever it is shown")
    func cprMasksItself() throws {
        let cpr = try CPRNumber(parsing: "0101901234")
        #expect("\(cpr)" == "010190-****")
        #expect(String(describing: Payer.person(cpr)) == "010190-****")
        #expect(String(reflecting: cpr).contains("1234") == false)
    }

    @Test("CPR: a refused payer field never echoes a whole number")
    func refusedPayerIsRedacted() {
        #expect(PersonalDataRedaction.safeEcho("3102901234") == "310290-****")
        #expect(PersonalDataRedaction.safeEcho("310290-1234") == "310290-****")
        #expect(PersonalDataRedaction.safeEcho("12345") == "12345")
        #expect(!PersonalDataRedaction.safeEcho("x3102901234").contains("1234"))
    }

    @Test("CPR: free text keeps no whole CPR number, but file names, hashes and other numbers stay readable")
    func freeTextRedaction() {
        #expect(PersonalDataRedaction.redactCPRs(in: "found '0101901234' at 010190-1234;x") == "found '010190-****' at 010190-****;x")
        #expect(PersonalDataRedaction.redactCPRs(in: "KIOSK-0042_20261121141500_000123.csv") == "KIOSK-0042_20261121141500_000123.csv")
        #expect(PersonalDataRedaction.redactCPRs(in: "sha256 ab0101901234cd") == "sha256 ab0101901234cd")
        // A letter on one side only does not protect a number typed into the wrong field.
        #expect(PersonalDataRedaction.redactCPRs(in: "found '0101901234x'") == "found '010190-****x'")
        #expect(PersonalDataRedaction.redactCPRs(in: "found 'x010190-1234'") == "found 'x010190-****'")
        #expect(PersonalDataRedaction.redactCPRs(in: "receipt 0000012345") == "receipt 0000012345")
        #expect(PersonalDataRedaction.payerKey("010190 1234") == "0101901234")
        #expect(PersonalDataRedaction.payerKey("B-000981") == nil)
    }

    @Test("CVR: 8 digits, first not 0, modulus 11 with weights 2,7,6,5,4,3,2,1")
    func cvrRules() throws {
        #expect(try Payer(parsing: "29000018") == .company(CVRNumber(parsing: "29000018")))
        #expect(throws: Payer.Problem.cvrChecksum) { try Payer(parsing: "29000019") }
        #expect(throws: Payer.Problem.cvrLeadingZero) { try Payer(parsing: "09000018") }
    }

    @Test("CVR: shown whole, never masked (it is public)")
    func cvrNotMasked() throws {
        #expect("\(try Payer(parsing: "29000018"))" == "29000018")
    }

    @Test("Amounts: whole øre, decimal comma in CSV, at most two decimals", arguments: [
        ("40", 4000), ("40,5", 4050), ("40,00", 4000), ("1234,50", 123_450), ("0,01", 1), ("-20,00", -2000), ("0", 0),
    ])
    func csvAmounts(text: String, ore: Int) throws {
        #expect(try AmountText.parse(text, decimalSeparator: ",").get() == Amount(ore: ore))
    }

    @Test("Amounts: no thousands separators, no currency, no three decimals, no decimal point in CSV", arguments: [
        "1.234,50", "40,001", "kr 40", "40.00", "", "-", ",50", "40,", "4 0", "+40", "1e3",
    ])
    func unreadableCSVAmounts(text: String) {
        #expect(throws: AmountText.Problem.self) { try AmountText.parse(text, decimalSeparator: ",").get() }
    }

    @Test("Amounts: decimal point in XML")
    func xmlAmounts() throws {
        #expect(try AmountText.parse("249.95", decimalSeparator: ".").get() == Amount(ore: 24_995))
        #expect(throws: AmountText.Problem.self) { try AmountText.parse("249,95", decimalSeparator: ".").get() }
    }

    @Test("Amounts: printed with two decimals and the format's separator")
    func amountPrinting() {
        #expect(Amount(ore: 4000).formatted(decimalSeparator: ",") == "40,00")
        #expect(Amount(ore: -2005).formatted(decimalSeparator: ",") == "-20,05")
        #expect(Amount(ore: 7).formatted(decimalSeparator: ".") == "0.07")
        #expect(Amount(ore: 123_456_789).danishText == "1.234.567,89 kr.")
    }

    @Test("Time: ISO 8601 with an offset or Z")
    func timestampsWithOffset() throws {
        let utc = try Timestamp.parse("2026-11-21T13:02:11Z").get()
        #expect(try Timestamp.parse("2026-11-21T14:02:11+01:00").get() == utc)
        #expect(try Timestamp.parse("2026-11-21T15:02:11+0200").get() == utc)
        #expect(Timestamp.format(utc) == "2026-11-21T14:02:11+01:00")
    }

    @Test("Time: a timestamp without an offset is Copenhagen local time")
    func timestampWithoutOffsetIsLocal() throws {
        #expect(try Timestamp.parse("2026-11-21T14:02:11").get() == Timestamp.parse("2026-11-21T14:02:11+01:00").get())
        #expect(try Timestamp.parse("2026-07-01T12:00:00").get() == Timestamp.parse("2026-07-01T12:00:00+02:00").get())
    }

    @Test("Time: the autumn hour that occurs twice is ambiguous and refused")
    func ambiguousLocalTimeIsRefused() {
        // 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET.
        #expect(Timestamp.parse("2026-10-25T02:30:00") == .failure(.ambiguousLocalTime))
        #expect((try? Timestamp.parse("2026-10-25T02:30:00+01:00").get()) != nil)
    }

    @Test("Time: the spring hour that never occurs does not exist and is refused")
    func nonexistentLocalTimeIsRefused() {
        // 2026-03-29: clocks go forward from 02:00 CET to 03:00 CEST.
        #expect(Timestamp.parse("2026-03-29T02:30:00") == .failure(.nonexistentLocalTime))
        #expect((try? Timestamp.parse("2026-03-29T03:30:00").get()) != nil)
    }

    @Test("Time: shown in Copenhagen time, summer and winter")
    func shownInCopenhagenTime() throws {
        #expect(Timestamp.format(try Timestamp.parse("2026-07-01T10:00:00Z").get()) == "2026-07-01T12:00:00+02:00")
        #expect(Timestamp.format(try Timestamp.parse("2026-01-01T10:00:00Z").get()) == "2026-01-01T11:00:00+01:00")
    }

    @Test("Time: malformed timestamps are refused", arguments: [
        "2026-11-21", "2026-11-21T25:00:00Z", "2026-02-30T10:00:00Z", "21-11-2026T10:00:00", "2026-11-21T10:00:00+1", "now",
    ])
    func malformedTimestamps(text: String) {
        #expect(Timestamp.parse(text) == .failure(.malformed))
    }
}
