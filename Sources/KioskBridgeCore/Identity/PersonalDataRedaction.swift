/// Keeps CPR numbers out of text that is meant for logs and people.
///
/// A value that failed validation is not a ``CPRNumber`` and cannot mask itself, yet it
/// is often a real number with a typo, or a CPR number in the wrong column. Any text that
/// echoes input (a refused field, a search query, a log line) passes through here first.
public enum PersonalDataRedaction {
    /// A value with seven or more digits shows at most its first six digits, so no
    /// mistyped CPR number can be read out of an error message about a payer field.
    public static func safeEcho(_ value: String) -> String {
        let digits = value.utf8.filter(isDigit).count
        guard digits >= 7 else { return redactCPRs(in: value) }
        let prefix = value.utf8.prefix(6)
        if prefix.count == 6, prefix.allSatisfy(isDigit) {
            return String(decoding: prefix, as: UTF8.self) + "-****"
        }
        return "(\(value.count) characters, not shown)"
    }

    /// Masks every run of ten digits, or six digits, a hyphen and four digits, whose first
    /// six digits are a day and month (`DDMMYY-****`), wherever it appears in free text.
    /// Longer runs of digits (a file name's timestamp), digits with letters on both sides
    /// (inside a hash) and numbers that cannot be a birth date are left alone; a letter on
    /// one side only (`0101901234x` typed into an amount field) does not protect a number.
    public static func redactCPRs(in text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10 else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        func isOutside(_ position: Int) -> Bool { position < 0 || position >= bytes.count }
        func isBoundary(_ position: Int) -> Bool {
            isOutside(position) || !(isDigit(bytes[position]) || isLetter(bytes[position]))
        }
        func isNotDigit(_ position: Int) -> Bool { isOutside(position) || !isDigit(bytes[position]) }
        while index < bytes.count {
            if isDigit(bytes[index]), isNotDigit(index - 1) {
                var end = index
                while end < bytes.count, isDigit(bytes[end]) { end += 1 }
                var length = end - index
                var cpr = length == 10 && isNotDigit(end) && (isBoundary(index - 1) || isBoundary(end))
                if length == 6, end < bytes.count, bytes[end] == UInt8(ascii: "-") {
                    var tail = end + 1
                    while tail < bytes.count, isDigit(bytes[tail]) { tail += 1 }
                    if tail - end - 1 == 4, isNotDigit(tail), isBoundary(index - 1) || isBoundary(tail) {
                        cpr = true
                        length = tail - index
                        end = tail
                    }
                }
                if cpr, !looksLikeBirthDate(bytes[index..<index + 6]) { cpr = false }
                if cpr {
                    output.append(contentsOf: bytes[index..<index + 6])
                    output.append(contentsOf: Array("-****".utf8))
                } else {
                    output.append(contentsOf: bytes[index..<end])
                }
                index = end
                continue
            }
            output.append(bytes[index])
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The digits a payer search or a refused payer field stands for, if it looks like a
    /// CPR or CVR number at all (valid or not): spaces and one hyphen removed, 8 or 10 digits.
    public static func payerKey(_ text: String) -> String? {
        var bytes = Array(text.utf8).filter { $0 != UInt8(ascii: " ") }
        if bytes.count == 11, bytes[6] == UInt8(ascii: "-") { bytes.remove(at: 6) }
        guard bytes.count == 8 || bytes.count == 10, bytes.allSatisfy(isDigit) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func looksLikeBirthDate(_ digits: ArraySlice<UInt8>) -> Bool {
        let values = digits.map { Int($0) - 48 }
        let day = values[0] * 10 + values[1]
        let month = values[2] * 10 + values[3]
        return (1...31).contains(day) && (1...12).contains(month)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) }
}
