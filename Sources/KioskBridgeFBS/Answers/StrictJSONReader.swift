/// Reads an FBS answer as JSON (RFC 8259), strictly and within bounds.
///
/// An answer is hostile input: it may be cut off, come from a proxy's error page, nest
/// without end, or repeat a key with another value. The reader refuses anything that is
/// not exactly one JSON value, a key twice in one object, invalid UTF-8 or escapes, and
/// anything beyond its limits, with the byte offset, what it found and what it expected.
struct StrictJSONReader {
    struct Limits: Sendable {
        var maximumDepth = 32
        var maximumStringBytes = 65_536
        var maximumNumberLength = 40
    }

    struct Problem: Error, Equatable, Sendable {
        /// Where in the answer, counted in bytes from 0.
        let offset: Int
        let found: String
        let expected: String

        var description: String { "not valid JSON at byte \(offset): found \(found), expected \(expected)" }
    }

    private let bytes: [UInt8]
    private let limits: Limits
    private var index = 0

    static func read(_ bytes: [UInt8], limits: Limits = Limits()) -> Result<AnswerJSON, Problem> {
        var reader = StrictJSONReader(bytes: bytes, limits: limits)
        do throws(Problem) {
            reader.skipWhitespace()
            let value = try reader.value(depth: 0)
            reader.skipWhitespace()
            guard reader.index == bytes.count else { throw reader.problem(expected: "the end of the answer after one JSON value") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private init(bytes: [UInt8], limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(Problem) -> AnswerJSON {
        guard index < bytes.count else { throw problem(expected: "a JSON value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw problem(expected: "a JSON value")
        }
    }

    private mutating func object(depth: Int) throws(Problem) -> AnswerJSON {
        guard depth <= limits.maximumDepth else { throw problem(expected: "at most \(limits.maximumDepth) levels of nesting") }
        index += 1
        var fields: [(key: String, value: AnswerJSON)] = []
        var keys = Set<String>()
        skipWhitespace()
        if peek(UInt8(ascii: "}")) { index += 1; return .object(fields) }
        while true {
            skipWhitespace()
            guard peek(UInt8(ascii: "\"")) else { throw problem(expected: "a key in double quotes") }
            let keyOffset = index
            let key = try string()
            guard keys.insert(key).inserted else {
                throw Problem(offset: keyOffset, found: "the key \"\(AnswerText.cut(key))\" a second time", expected: "each key once per object")
            }
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw problem(expected: "':' after the key") }
            index += 1
            skipWhitespace()
            fields.append((key, try value(depth: depth)))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            if peek(UInt8(ascii: "}")) { index += 1; return .object(fields) }
            throw problem(expected: "',' or '}'")
        }
    }

    private mutating func array(depth: Int) throws(Problem) -> AnswerJSON {
        guard depth <= limits.maximumDepth else { throw problem(expected: "at most \(limits.maximumDepth) levels of nesting") }
        index += 1
        var items: [AnswerJSON] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) { index += 1; continue }
            if peek(UInt8(ascii: "]")) { index += 1; return .array(items) }
            throw problem(expected: "',' or ']'")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Problem) {
        let expected = word.withUTF8Buffer { Array($0) }
        guard bytes.count - index >= expected.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw problem(expected: "a JSON value")
        }
        index += expected.count
    }

    // MARK: Numbers

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, returned as written.
    private mutating func number() throws(Problem) -> String {
        let start = index
        if peek(UInt8(ascii: "-")) { index += 1 }
        if peek(UInt8(ascii: "0")) {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw problem(expected: "no leading zero in a number") }
        } else {
            try digits()
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            try digits()
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            try digits()
        }
        guard index - start <= limits.maximumNumberLength else {
            throw Problem(offset: start, found: "a number of \(index - start) characters", expected: "at most \(limits.maximumNumberLength)")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func digits() throws(Problem) {
        guard index < bytes.count, isDigit(bytes[index]) else { throw problem(expected: "a digit") }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    // MARK: Strings

    private mutating func string() throws(Problem) -> String {
        let start = index
        index += 1
        var output: [UInt8] = []
        while true {
            guard index < bytes.count else { throw Problem(offset: start, found: "a string without its closing quote", expected: "'\"'") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; break }
            if byte < 0x20 { throw problem(expected: "no control character inside a string (escape it)") }
            if byte == UInt8(ascii: "\\") {
                try escape(into: &output)
            } else {
                output.append(byte)
                index += 1
            }
            guard output.count <= limits.maximumStringBytes else {
                throw Problem(offset: start, found: "a string of more than \(limits.maximumStringBytes) bytes", expected: "a shorter string")
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw Problem(offset: start, found: "a string that is not UTF-8", expected: "UTF-8 text")
        }
        return text
    }

    private mutating func escape(into output: inout [UInt8]) throws(Problem) {
        index += 1
        guard index < bytes.count else { throw problem(expected: "an escape after '\\'") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(byte)
        case UInt8(ascii: "b"): output.append(0x08)
        case UInt8(ascii: "f"): output.append(0x0C)
        case UInt8(ascii: "n"): output.append(0x0A)
        case UInt8(ascii: "r"): output.append(0x0D)
        case UInt8(ascii: "t"): output.append(0x09)
        case UInt8(ascii: "u"): output.append(contentsOf: try unicodeEscape())
        default:
            index -= 1
            throw problem(expected: "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    /// The bytes of `\uXXXX` (after the `u`), joining a surrogate pair; a lone surrogate is refused.
    private mutating func unicodeEscape() throws(Problem) -> [UInt8] {
        let first = try hex4()
        var scalarValue = first
        if (0xD800...0xDBFF).contains(first) {
            guard bytes.count - index >= 2, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw problem(expected: "the second half of a surrogate pair (\\uDC00-\\uDFFF)")
            }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw problem(expected: "the second half of a surrogate pair (\\uDC00-\\uDFFF)") }
            scalarValue = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw problem(expected: "a surrogate pair that starts with \\uD800-\\uDBFF")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw problem(expected: "a Unicode scalar") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func hex4() throws(Problem) -> UInt32 {
        guard bytes.count - index >= 4 else { throw problem(expected: "four hexadecimal digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw problem(expected: "four hexadecimal digits")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// What stands at the current offset, for the message: a printable character, a
    /// byte's value, or the end.
    private func problem(expected: String) -> Problem {
        guard index < bytes.count else { return Problem(offset: index, found: "the end of the answer", expected: expected) }
        let byte = bytes[index]
        let found = (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "the byte 0x\(String(byte, radix: 16, uppercase: true))"
        return Problem(offset: index, found: found, expected: expected)
    }
}
