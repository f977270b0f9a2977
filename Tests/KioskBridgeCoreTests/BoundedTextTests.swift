import Testing
@testable import KioskBridgeCore

/// Issue "hostile input": a value quoted anywhere is cut to 80 characters, with its full length said.
@Suite("Bounded values: at most 80 characters of any value are quoted")
struct BoundedTextTests {
    @Test("A value of at most 80 characters is quoted whole")
    func shortValueWhole() {
        let value = String(repeating: "a", count: 80)
        let bounded = BoundedText(value)
        #expect(bounded.shown == value)
        #expect(!bounded.isCut)
        #expect(bounded.quoted == "'\(value)'")
    }

    @Test("A longer value is quoted as its first 80 characters and its full length")
    func longValueCut() {
        let value = "B-" + String(repeating: "x", count: 2_000_000)
        let bounded = BoundedText(value)
        #expect(bounded.isCut)
        #expect(bounded.length == 2_000_002)
        #expect(bounded.shown == "B-" + String(repeating: "x", count: 78) + "…")
        #expect(bounded.quoted.hasSuffix("…' (2,000,002 characters)"))
        #expect(bounded.quoted.count < 120)
    }

    @Test("Characters, not bytes, are counted: Danish letters and other scripts are never split")
    func charactersCounted() {
        let value = String(repeating: "ø", count: 100)
        let bounded = BoundedText(value)
        #expect(bounded.length == 100)
        #expect(bounded.shown == String(repeating: "ø", count: 80) + "…")
    }

    @Test("A cut never shows part of a run of digits, so no piece of a CPR number at the edge is shown")
    func digitsAtTheCut() {
        let value = String(repeating: "a", count: 75) + "0101901234" + String(repeating: "b", count: 20)
        let bounded = BoundedText(value)
        #expect(bounded.shown == String(repeating: "a", count: 75) + "…")
        #expect(!bounded.shown.contains("01019"))
    }

    @Test("CPR numbers in a quoted value are masked; control characters are shown as symbols, never as line breaks")
    func maskedAndVisible() {
        let bounded = BoundedText("payer 0101901234\nINFO forged line\u{7}")
        #expect(bounded.shown == "payer 010190-****␊INFO forged line␇")
        #expect(!bounded.shown.contains("\n"))
    }

    @Test("A refused record's message quotes the bounded value and its length")
    func problemDescription() {
        let problem = IntakeProblem(.invalidValue, line: 2, field: RecordField.Payment.receipt,
                                    found: "B-" + String(repeating: "9", count: 2_000_000), expected: "at most 100 characters")
        #expect(problem.description.hasPrefix("line 2, field 8 (receipt number): found 'B-…' (2,000,002 characters), expected"))
        let short = IntakeProblem(.invalidValue, line: 2, field: RecordField.Payment.receipt, found: "B- 1", expected: "x")
        #expect(short.description == "line 2, field 8 (receipt number): found 'B- 1', expected x")
    }

    @Test("The store keeps a refused field whole up to the format's own limit, and longer ones cut")
    func storedFields() {
        let fits = String(repeating: "r", count: 100)
        #expect(BoundedText.stored(fits, keepingUpTo: 100) == fits)
        let long = String(repeating: "r", count: 65_000)
        #expect(BoundedText.stored(long, keepingUpTo: 100) == String(repeating: "r", count: 80) + "…")
    }

    @Test("A library's message has each quoted value bounded, and the whole message too")
    func messageQuotes() {
        let text = "Element 'Payment', attribute 'receipt': The value '" + String(repeating: "x", count: 5_000_000) + "' is too long."
        let message = Array(text.utf8).withUnsafeBufferPointer { BoundedText.message(utf8: $0) }
        #expect(message.hasPrefix("Element 'Payment', attribute 'receipt': The value '" + String(repeating: "x", count: 80) + "…' (5,000,000 characters) is too long."))
        let unquoted = Array(String(repeating: "y", count: 100_000).utf8).withUnsafeBufferPointer { BoundedText.message(utf8: $0) }
        #expect(unquoted.count == 401)
    }

    @Test("Counts are written with thousands separators", arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (200_000_002, "200,000,002")])
    func grouped(number: Int, text: String) {
        #expect(BoundedText.grouped(number) == text)
    }
}
