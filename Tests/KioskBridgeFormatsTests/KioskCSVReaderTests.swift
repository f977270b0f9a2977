import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// kiosk-file.md "CSV records" and "Whole file or nothing".
@Suite("kiosk-file.md: CSV records")
struct KioskCSVReaderTests {
    static let example = """
        H;1;KIOSK-0042;Hovedbiblioteket, Åbyhøj;123;2026-11-21T14:15:00+01:00
        D;K42-20261121-0001;2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;40,00;CASH;B-000981;
        D;K42-20261121-0002;2026-11-21T14:09:40+01:00;1505851237;ERSTATNING;249,95;CARD;B-000982;medarb17
        T;2;289,95

        """

    @Test("The spec's example file reads as a header, two payments and a matching trailer")
    func specExample() {
        let read = TestFiles.read(TestFiles.write(Self.example, name: "KIOSK-0042_20261121141500_000123.csv"))
        #expect(read.problem == nil)
        #expect(read.header?.kioskID.value == "KIOSK-0042")
        #expect(read.header?.sequence == 123)
        #expect(read.header?.location == "Hovedbiblioteket, Åbyhøj")
        let payments = TestFiles.payments(read)
        #expect(payments.map(\.amount.ore) == [4000, 24_995])
        #expect(payments.map(\.operatorID) == ["", "medarb17"])
    }

    @Test("UTF-8 with a byte-order mark")
    func utf8WithBOM() {
        let read = TestFiles.read(TestFiles.write([0xEF, 0xBB, 0xBF] + Array(Self.example.utf8), name: "a.csv"))
        #expect(read.problem == nil)
        #expect(read.header?.location == "Hovedbiblioteket, Åbyhøj")
    }

    @Test("ISO-8859-1 (Latin-1) is detected and read correctly: Åbyhøj survives")
    func latin1() {
        let read = TestFiles.read(TestFiles.write(Self.example, name: "a.csv", latin1: true))
        #expect(read.problem == nil)
        #expect(read.header?.location == "Hovedbiblioteket, Åbyhøj")
    }

    @Test("CRLF line ends")
    func crlf() {
        let read = TestFiles.read(TestFiles.write(Self.example, name: "a.csv", crlf: true))
        #expect(read.problem == nil)
        #expect(TestFiles.payments(read).last?.operatorID == "medarb17")
    }

    @Test("Quoted fields: ; inside quotes, \"\" is one quote, a line break inside quotes")
    func quotedFields() {
        let text = """
            H;1;K1;"Filial ""Syd""; Århus";1;2026-11-21T14:15:00+01:00
            D;"T;1";2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;"40,00";CASH;"B-1";
            V;V-1;2026-11-21T14:03:00+01:00;"T;1";40,00;"two
            lines"
            T;2;0,00

            """
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem == nil)
        #expect(read.header?.location == "Filial \"Syd\"; Århus")
        #expect(TestFiles.payments(read).first?.transactionID == "T;1")
        guard case .void(let void, let place)? = read.entries.last else { Issue.record("expected a void"); return }
        #expect(void.voidsTransactionID == "T;1")
        #expect(void.reason == "two\nlines")
        #expect(place.line == 3)
    }

    @Test("Empty lines are ignored")
    func emptyLines() {
        let text = Self.example.replacingOccurrences(of: "\nD;K42-20261121-0002", with: "\n\n   \nD;K42-20261121-0002") + "\n\n"
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem == nil)
        #expect(TestFiles.payments(read).count == 2)
    }

    @Test("Whole file: a missing trailer rejects the file")
    func missingTrailer() {
        let text = Self.example.replacingOccurrences(of: "T;2;289,95\n", with: "")
        #expect(TestFiles.read(TestFiles.write(text, name: "a.csv")).problem?.code == .missingTrailer)
    }

    @Test("Whole file: a trailer count that does not match rejects the file, naming line and field")
    func trailerCountMismatch() {
        let problem = TestFiles.read(TestFiles.write(Self.example.replacingOccurrences(of: "T;2;", with: "T;3;"), name: "a.csv")).problem
        #expect(problem?.code == .trailerMismatch)
        #expect(problem?.line == 4)
        #expect(problem?.field == RecordField.Trailer.count)
    }

    @Test("Whole file: a trailer sum that does not match rejects the file")
    func trailerSumMismatch() {
        let problem = TestFiles.read(TestFiles.write(Self.example.replacingOccurrences(of: "289,95", with: "289,96"), name: "a.csv")).problem
        #expect(problem?.code == .trailerMismatch)
        #expect(problem?.description.contains("289,95") == true)
    }

    @Test("Whole file: an amount that cannot be read at all rejects the file", arguments: ["4O,00", "40.00", "", "40,001"])
    func unreadableAmount(amount: String) {
        let text = Self.example.replacingOccurrences(of: ";40,00;", with: ";\(amount);")
        let problem = TestFiles.read(TestFiles.write(text, name: "a.csv")).problem
        #expect(problem?.code == .unreadableAmount)
        #expect(problem?.line == 2)
        #expect(problem?.field == RecordField.Payment.amount)
    }

    @Test("The trailer counts the records as written, valid or not (a zero amount still counts)")
    func trailerCountsInvalidRecords() {
        let text = Self.example.replacingOccurrences(of: ";40,00;", with: ";0;").replacingOccurrences(of: "289,95", with: "249,95")
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem == nil)
        #expect(TestFiles.payments(read).first?.amount == .zero)
    }

    @Test("Whole file: the header must come first")
    func headerFirst() {
        let text = Self.example.split(separator: "\n").dropFirst().joined(separator: "\n")
        #expect(TestFiles.read(TestFiles.write(text, name: "a.csv")).problem?.code == .missingHeader)
    }

    @Test("Whole file: a record after the trailer, a second header or an unknown record type, named by its line and what it is",
          arguments: [
              ("T;2;289,95\nD;x\n", IntakeProblem.Code.misplacedRecord, 5, "D"),
              ("T;2;289,95\nH;1;K;L;2;2026-11-21T14:15:00+01:00\n", IntakeProblem.Code.misplacedRecord, 5, "H"),
              ("X;1\nT;2;289,95\n", IntakeProblem.Code.unknownRecordType, 4, "X"),
          ])
    func misplacedRecords(tail: String, code: IntakeProblem.Code, line: Int, found: String) {
        let text = Self.example.replacingOccurrences(of: "T;2;289,95\n", with: tail)
        let problem = TestFiles.read(TestFiles.write(text, name: "a.csv")).problem
        #expect(problem?.code == code)
        #expect(problem?.line == line)
        #expect(problem?.field == RecordField.Header.recordType)
        #expect(problem?.found == found)
    }

    @Test("Whole file: an unknown record type, even in the middle of valid records, and its type is quoted")
    func unknownRecordType() {
        let text = Self.example.replacingOccurrences(of: "\nD;K42-20261121-0002", with: "\nZAHLUNG;1;2\nD;K42-20261121-0002")
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem?.code == .unknownRecordType)
        #expect(read.problem?.line == 3)
        #expect(read.problem?.description == "line 3, field 1 (record type): found 'ZAHLUNG', expected a record type H, D, V or T")
    }

    @Test("RFC 4180: text after a closing quote rejects that record alone, naming its line and field")
    func textAfterClosingQuote() {
        let text = Self.example.replacingOccurrences(of: "CARD;B-000982;", with: "CARD;\"B-0009\"82;")
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem == nil)
        #expect(TestFiles.payments(read).count == 1)
        guard case .unusable(let problem, let summary)? = read.entries.last else { Issue.record("expected an unusable record"); return }
        #expect(problem.code == .malformedField)
        #expect(problem.line == 3)
        #expect(problem.field == RecordField.Payment.receipt)
        #expect(problem.found == "\"B-0009\"82")
        #expect(summary.amount == Amount(ore: 24_995))
    }

    @Test("RFC 4180: text after the closing quote of an amount, the record type or the header rejects the file", arguments: [
        (";40,00;", ";\"40\"00;", IntakeProblem.Code.unreadableAmount, 2, RecordField.Payment.amount),
        ("\nD;K42-20261121-0002", "\n\"D\"X;K42-20261121-0002", IntakeProblem.Code.unknownRecordType, 3, RecordField.Header.recordType),
        ("Hovedbiblioteket, Åbyhøj;", "\"Hovedbiblioteket\", Åbyhøj;", IntakeProblem.Code.badHeader, 1, RecordField.Header.location),
        ("T;2;289,95", "T;\"2\" ;289,95", IntakeProblem.Code.trailerMismatch, 4, RecordField.Trailer.count),
    ])
    func textAfterClosingQuoteWholeFile(old: String, new: String, code: IntakeProblem.Code, line: Int, field: RecordField) {
        let problem = TestFiles.read(TestFiles.write(Self.example.replacingOccurrences(of: old, with: new), name: "a.csv")).problem
        #expect(problem?.code == code)
        #expect(problem?.line == line)
        #expect(problem?.field == field)
    }

    @Test("Whole file: a line longer than 64 KiB rejects the file at that line")
    func lineTooLong() {
        let receipt = String(repeating: "9", count: DelimitedRecordReader.maximumRecordBytes)
        let text = Self.example.replacingOccurrences(of: "CARD;B-000982;", with: "CARD;B-\(receipt);")
        let problem = TestFiles.read(TestFiles.write(text, name: "a.csv")).problem
        #expect(problem?.code == .lineTooLong)
        #expect(problem?.line == 3)
        #expect(problem?.description == "line 3: a line of at most 64 KiB (65,536 bytes); this one is longer, so the file cannot be read past it")
    }

    @Test("Whole file: a kiosk id that could name a path rejects the file", arguments: ["../../etc", "a/b", "..", " K"])
    func pathLikeKioskID(kiosk: String) {
        let text = Self.example.replacingOccurrences(of: "H;1;KIOSK-0042;", with: "H;1;\(kiosk);")
        let problem = TestFiles.read(TestFiles.write(text, name: "a.csv")).problem
        #expect(problem?.code == .badHeader)
        #expect(problem?.field == RecordField.Header.kioskID)
    }

    @Test("A D record with the wrong number of fields is rejected on its own; its amount still counts")
    func wrongFieldCount() {
        let text = Self.example.replacingOccurrences(of: "CARD;B-000982;medarb17", with: "CARD;B-000982;medarb17;extra")
        let read = TestFiles.read(TestFiles.write(text, name: "a.csv"))
        #expect(read.problem == nil)
        guard case .unusable(let problem, let summary)? = read.entries.last else { Issue.record("expected an unusable record"); return }
        #expect(problem.code == .fieldCount)
        #expect(summary.receipt == "B-000982")
    }

    @Test("An operator field may be left out entirely (8 fields)")
    func operatorMayBeMissing() {
        let text = Self.example.replacingOccurrences(of: "B-000981;\n", with: "B-000981\n")
        #expect(TestFiles.payments(TestFiles.read(TestFiles.write(text, name: "a.csv"))).count == 2)
    }

    @Test("An empty file has no header")
    func emptyFile() {
        #expect(TestFiles.read(TestFiles.write([], name: "a.csv")).problem?.code == .emptyFile)
    }

    @Test("An unterminated quote rejects the file with its line")
    func unterminatedQuote() {
        let problem = TestFiles.read(TestFiles.write(Self.example.replacingOccurrences(of: "B-000982", with: "\"B-000982"), name: "a.csv")).problem
        #expect(problem?.code == .unreadableFile)
        #expect(problem?.line == 3)
    }
}
