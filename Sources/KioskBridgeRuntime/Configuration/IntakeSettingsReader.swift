import KioskBridgeCore
import TOMLKit

extension ConfigurationReader {
    /// `[intake]`: the plausibility rules, each with the default a municipality would expect.
    ///
    /// `max_amount` is money, so it is never a floating-point number: a whole number of
    /// kroner (`50000`) or a string with a decimal comma (`"50000,00"`), as kiosk files write it.
    func plausibilityRules() throws -> PlausibilityRules {
        let intake = try table("intake", known: ["clock_skew_minutes", "max_age_days", "max_amount"])
        var rules = PlausibilityRules()
        rules.clockSkewMinutes = try int(intake, "clock_skew_minutes", in: "[intake]",
                                         expected: "a whole number of minutes from 0 to 1440", valid: { (0...1440).contains($0) })
            ?? rules.clockSkewMinutes
        rules.maxAgeDays = try int(intake, "max_age_days", in: "[intake]",
                                   expected: "a whole number of days from 1 to 3660", valid: { (1...3660).contains($0) })
            ?? rules.maxAgeDays
        if let value = intake?["max_amount"] {
            let expected = "an amount greater than 0: a whole number of kroner (50000) or a string with a decimal comma (\"50000,00\")"
            let amount: Amount?
            if let kroner = value.int {
                amount = kroner > 0 && kroner < 10_000_000_000 ? Amount(ore: kroner * 100) : nil
            } else if let text = value.string, case .success(let parsed) = AmountText.parse(text[...], decimalSeparator: UInt8(ascii: ",")) {
                amount = parsed
            } else {
                amount = nil
            }
            guard let amount, amount.isPositive else { throw fail("[intake] max_amount", expected, found: value) }
            rules.maxAmount = amount
        }
        return rules
    }
}
