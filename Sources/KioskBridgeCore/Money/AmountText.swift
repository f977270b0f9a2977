/// Reads amounts as the file formats write them.
///
/// A kiosk file's trailer can only be checked if every amount in it can be read, so the
/// reader distinguishes text that is not an amount at all (the file cannot be accounted
/// for) from an amount that can be read but breaks a rule (zero, negative: only that
/// record is rejected). Both CSV (decimal comma) and XML (decimal point) go through here.
public enum AmountText {
    /// Why a text is not an amount.
    public enum Problem: Error, Equatable, Sendable {
        case empty
        case notANumber
        case tooManyDecimals
        case tooLarge
    }

    /// At most this many digits before the decimal separator: 999 999 999 999,99 kr.
    /// keeps the sum of millions of records far inside 64 bits.
    public static let maximumIntegerDigits = 12

    /// Parses `-?digits[<separator>d{1,2}]`. No sign other than `-`, no thousands
    /// separators, no currency, no spaces.
    public static func parse(_ text: Substring, decimalSeparator: UInt8) -> Result<Amount, Problem> {
        var bytes = text.utf8[...]
        guard !bytes.isEmpty else { return .failure(.empty) }
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        var kroner = 0
        var integerDigits = 0
        var ore = 0
        var fractionDigits = 0
        var inFraction = false
        for byte in bytes {
            if byte == decimalSeparator {
                if inFraction || integerDigits == 0 { return .failure(.notANumber) }
                inFraction = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.notANumber) }
            let digit = Int(byte - UInt8(ascii: "0"))
            if inFraction {
                fractionDigits += 1
                if fractionDigits > 2 { return .failure(.tooManyDecimals) }
                ore = ore * 10 + digit
            } else {
                integerDigits += 1
                if integerDigits > maximumIntegerDigits { return .failure(.tooLarge) }
                kroner = kroner * 10 + digit
            }
        }
        if integerDigits == 0 { return .failure(.notANumber) }
        if inFraction && fractionDigits == 0 { return .failure(.notANumber) }
        if fractionDigits == 1 { ore *= 10 }
        let total = kroner * 100 + ore
        return .success(Amount(ore: negative ? -total : total))
    }

    public static func parse(_ text: String, decimalSeparator: Character) -> Result<Amount, Problem> {
        let separator = decimalSeparator.asciiValue ?? UInt8(ascii: ",")
        return parse(text[...], decimalSeparator: separator)
    }

    /// What the format expects, for error messages.
    public static func expectation(decimalSeparator: Character) -> String {
        "an amount in kroner with a decimal \(decimalSeparator == "," ? "comma" : "point") and at most two decimals, e.g. 40\(decimalSeparator)00"
    }
}
