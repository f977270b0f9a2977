import Testing
@testable import KioskBridgeFBS

/// FBS answers are hostile input: exactly one JSON value, within bounds, numbers kept as text.
@Suite struct StrictJSONReaderTests {
    static func read(_ text: String, limits: StrictJSONReader.Limits = .init()) -> Result<AnswerJSON, StrictJSONReader.Problem> {
        StrictJSONReader.read(Array(text.utf8), limits: limits)
    }

    static func problem(_ text: String, limits: StrictJSONReader.Limits = .init()) -> String? {
        guard case .failure(let problem) = read(text, limits: limits) else { return nil }
        return problem.description
    }

    @Test func numbersKeepTheirTextAndObjectsTheirOrder() throws {
        let value = try Self.read(#" {"b": 249.95, "a": [20, -0.5, 1E3, true, false, null], "c": "x"} "#).get()
        #expect(value == .object([
            ("b", .number("249.95")),
            ("a", .array([.number("20"), .number("-0.5"), .number("1E3"), .bool(true), .bool(false), .null])),
            ("c", .string("x")),
        ]))
    }

    @Test func escapesAndSurrogatePairsAreDecoded() throws {
        let value = try Self.read(#""a\"b\\c\/d\n\t\u00e6\ud83d\ude00""#).get()
        #expect(value == .string("a\"b\\c/d\n\tæ😀"))
    }

    @Test(arguments: [
        (#"{"a":1,"a":2}"#, #"not valid JSON at byte 7: found the key "a" a second time, expected each key once per object"#),
        ("[1,2", "not valid JSON at byte 4: found the end of the answer, expected ',' or ']'"),
        ("[1] x", "not valid JSON at byte 4: found 'x', expected the end of the answer after one JSON value"),
        ("01", "not valid JSON at byte 1: found '1', expected no leading zero in a number"),
        ("1.", "not valid JSON at byte 2: found the end of the answer, expected a digit"),
        (".5", "not valid JSON at byte 0: found '.', expected a JSON value"),
        ("+1", "not valid JSON at byte 0: found '+', expected a JSON value"),
        ("[1,]", "not valid JSON at byte 3: found ']', expected a JSON value"),
        ("{'a':1}", "not valid JSON at byte 1: found ''', expected a key in double quotes"),
        (#""\ud800""#, #"not valid JSON at byte 7: found '"', expected the second half of a surrogate pair (\uDC00-\uDFFF)"#),
        (#""\x""#, #"not valid JSON at byte 2: found 'x', expected one of \" \\ \/ \b \f \n \r \t \uXXXX"#),
        ("\"a\u{01}\"", "not valid JSON at byte 2: found the byte 0x1, expected no control character inside a string (escape it)"),
        ("\u{FEFF}[]", "not valid JSON at byte 0: found the byte 0xEF, expected a JSON value"),
        ("", "not valid JSON at byte 0: found the end of the answer, expected a JSON value"),
        ("nul", "not valid JSON at byte 0: found 'n', expected a JSON value"),
        (#""abc"#, #"not valid JSON at byte 0: found a string without its closing quote, expected '"'"#),
    ])
    func anythingButExactlyOneJSONValueIsRefusedWithWhereAndWhat(text: String, problem: String) {
        #expect(Self.problem(text) == problem)
    }

    @Test func invalidUTF8InAStringIsRefused() {
        let bytes: [UInt8] = [0x22, 0xC3, 0x28, 0x22]
        guard case .failure(let problem) = StrictJSONReader.read(bytes) else {
            Issue.record("accepted invalid UTF-8")
            return
        }
        #expect(problem.description == "not valid JSON at byte 0: found a string that is not UTF-8, expected UTF-8 text")
    }

    @Test func nestingDeeperThanTheLimitIsRefused() {
        let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
        #expect(Self.problem(deep) == "not valid JSON at byte 32: found '[', expected at most 32 levels of nesting")
        let allowed = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(Self.problem(allowed) == nil)
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(Self.problem(hostile)?.contains("at most 32 levels") == true)
    }

    @Test func stringsAndNumbersBeyondTheirLimitsAreRefused() {
        var limits = StrictJSONReader.Limits()
        limits.maximumStringBytes = 10
        #expect(Self.problem(#""12345678901""#, limits: limits) == "not valid JSON at byte 0: found a string of more than 10 bytes, expected a shorter string")
        #expect(Self.problem(#""1234567890""#, limits: limits) == nil)
        #expect(Self.problem(String(repeating: "9", count: 41)) == "not valid JSON at byte 0: found a number of 41 characters, expected at most 40")
    }
}
