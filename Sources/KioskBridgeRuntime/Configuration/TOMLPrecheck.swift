/// Finds, before the TOML library sees the text, the mistakes on which that library
/// would stop the process instead of reporting an error.
///
/// The TOML parser the bridge uses (toml++ through TOMLKit) assumes that a key starts
/// with a letter, digit, `_`, `-` or a quote where a table header or an inline table
/// begins one; given `[%` it asserts (debug builds) or continues on an unchecked
/// assumption (release builds). An operator's typo must be a configuration error with a
/// line and column, so this scan walks the text the way TOML's grammar does (strings,
/// comments, arrays, inline tables) and reports such a place first. It also refuses the
/// control characters TOML forbids everywhere.
enum TOMLPrecheck {
    struct Problem: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }

    static func problem(in text: String) -> Problem? {
        controlCharacter(in: text) ?? structure(of: text)
    }

    /// Anything below U+0020 but tab, LF and CR, and U+007F, anywhere (strings included).
    static func controlCharacter(in text: String) -> Problem? {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 10 {
                line += 1
                column = 1
                continue
            }
            if (value < 0x20 && value != 9 && value != 13) || value == 0x7F {
                let hex = String(value, radix: 16, uppercase: true)
                return Problem(line: line, column: column,
                               message: "a control character (U+\(String(repeating: "0", count: 4 - hex.count) + hex)) where TOML allows none")
            }
            column += 1
        }
        return nil
    }

    static func structure(of text: String) -> Problem? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        var column = 1
        /// Nesting of `[` (arrays) and `{` (inline tables) inside a value.
        var nesting: [Unicode.Scalar] = []
        var atLineStart = true
        var expectKey = false
        var expectValue = false
        var expectArrayItem = false

        func peek(_ offset: Int = 0) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        func advance() {
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        func skipBlanks() {
            while let next = peek(), next == " " || next == "\t" { advance() }
        }
        func hasPrefix(_ text: String) -> Bool {
            text.unicodeScalars.enumerated().allSatisfy { peek($0.offset) == $0.element }
        }
        /// Skips a string starting at the current quote.
        func skipString() {
            let quote = scalars[index]
            let triple = hasPrefix(String(repeating: Character(quote), count: 3))
            let closing = triple ? String(repeating: Character(quote), count: 3) : String(quote)
            for _ in 0..<(triple ? 3 : 1) { advance() }
            while index < scalars.count {
                if quote == "\"", peek() == "\\" {
                    advance()
                    if index < scalars.count { advance() }
                    continue
                }
                if hasPrefix(closing) {
                    for _ in 0..<closing.unicodeScalars.count { advance() }
                    return
                }
                if !triple, peek() == "\n" { return }
                advance()
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            if atLineStart, nesting.isEmpty {
                skipBlanks()
                guard let first = peek() else { return nil }
                atLineStart = false
                if first == "[" {
                    advance()
                    if peek() == "[" { advance() }
                    skipBlanks()
                    guard let start = peek(), isKeyStart(start) else {
                        return Problem(line: line, column: column,
                                       message: "a table name must start with a letter, a digit, _, - or a quote")
                    }
                    continue
                }
                if first != "#", first != "\n", first != "\r", !isKeyStart(first) {
                    return Problem(line: line, column: column, message: "a key must start with a letter, a digit, _, - or a quote")
                }
                continue
            }
            if expectValue {
                skipBlanks()
                expectValue = false
                guard let next = peek(), !["\n", "\r", "#", ",", "]", "}"].contains(next) else {
                    return Problem(line: line, column: column, message: "a value was expected after =")
                }
                continue
            }
            if expectArrayItem {
                // Blanks, line ends and comments may come before an array's next value.
                while let next = peek(), [" ", "\t", "\n", "\r", "#"].contains(next) {
                    if next == "#" {
                        while let rest = peek(), rest != "\n" { advance() }
                    } else {
                        advance()
                    }
                }
                expectArrayItem = false
                if let next = peek(), next == "}" || next == "," {
                    return Problem(line: line, column: column, message: "a value or ] was expected in the list")
                }
                continue
            }
            if expectKey {
                skipBlanks()
                guard let next = peek() else { return nil }
                expectKey = false
                if next != "}", next != "\n", next != "\r", next != "#", !isKeyStart(next) {
                    return Problem(line: line, column: column, message: "a key in an inline table must start with a letter, a digit, _, - or a quote")
                }
                continue
            }
            switch scalar {
            case "\"", "'":
                skipString()
                continue
            case "#":
                while let next = peek(), next != "\n" { advance() }
                continue
            case "\n":
                if nesting.isEmpty { atLineStart = true }
            case "[":
                nesting.append("[")
                expectArrayItem = true
            case "=":
                expectValue = true
            case "{":
                nesting.append("{")
                expectKey = true
            case "]", "}":
                _ = nesting.popLast()
            case ",":
                if nesting.last == "{" { expectKey = true }
                if nesting.last == "[" { expectArrayItem = true }
            default:
                break
            }
            advance()
        }
        return nil
    }
}
