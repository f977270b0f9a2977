import Testing
@testable import KioskBridgeFormats

/// kiosk-file.md and claims-snapshot.md: the `;`-separated lines, read a chunk at a time.
@Suite("Records across the reader's chunks")
struct DelimitedRecordReaderTests {
    static func records(_ text: [UInt8], encoding: TextEncoding = .utf8) throws -> [DelimitedRecord] {
        let reader = DelimitedRecordReader(source: ByteSource(bytes: text), encoding: encoding)
        var records: [DelimitedRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    @Test("Lines that straddle the chunks, CRLF and LF, quoted fields and empty fields read as written, with their line numbers")
    func straddlingChunks() throws {
        // About 3 MB: every chunk boundary falls inside some line.
        var text = ""
        var expected: [(line: Int, fields: [String])] = []
        for index in 1...40_000 {
            let fields: [String]
            switch index % 7 {
            case 0:
                text += "D;\"quoted; with \"\"quotes\"\"\";\(index);\r\n"
                fields = ["D", "quoted; with \"quotes\"", "\(index)", ""]
            case 3:
                text += ";;\(index)\n"
                fields = ["", "", "\(index)"]
            default:
                text += "D;K01-\(index);2026-11-23T08:00:00+01:00;0505579240;ERSTATNING;322,42;CASH;B-\(index);\r\n"
                fields = ["D", "K01-\(index)", "2026-11-23T08:00:00+01:00", "0505579240", "ERSTATNING", "322,42", "CASH", "B-\(index)", ""]
            }
            expected.append((index, fields))
        }
        #expect(text.utf8.count > 2 * ByteSource.chunkSize)
        let records = try Self.records(Array(text.utf8))
        #expect(records.count == expected.count)
        for (record, wanted) in zip(records, expected) where record.line != wanted.line || record.fields != wanted.fields {
            Issue.record("line \(wanted.line): read \(record.line) \(record.fields), expected \(wanted.fields)")
            break
        }
    }

    @Test("A long line across a chunk boundary, a quoted field spanning lines, and a last line without its line end")
    func longAndOpenLines() throws {
        // 1,020 lines of 1,000 bytes end 27,556 bytes before the first chunk does: the long line straddles it.
        let filler = String(repeating: "f", count: 998)
        let long = String(repeating: "x", count: 60_000)
        let text = String(repeating: "F;\(filler)\n", count: 1020) + "A;\(long);b\nB;\"one\ntwo\";c\r\nC;last"
        let records = try Self.records(Array(text.utf8))
        #expect(records.dropFirst(1020).map(\.fields) == [["A", long, "b"], ["B", "one\ntwo", "c"], ["C", "last"]])
        #expect(records.dropFirst(1020).map(\.line) == [1021, 1022, 1024])
    }

    @Test("Latin-1 bytes are read as Latin-1 on the quick path too")
    func latin1() throws {
        let records = try Self.records([0x48, 0x3B, 0xC5, 0x62, 0x79, 0x68, 0xF8, 0x6A, 0x0A], encoding: .latin1)
        #expect(records.map(\.fields) == [["H", "Åbyhøj"]])
    }

    @Test("RFC 4180: \"ab\"cd is not read as abcd; the record says which field is malformed and how it was written")
    func textAfterClosingQuote() throws {
        let records = try Self.records(Array("A;\"ab\"cd;e\nB;\"ok\";\"x\" \nC;\"fine\"\r\nD;\"a\"\"b\"\n".utf8))
        #expect(records.map(\.malformed) == [MalformedField(position: 2, text: "\"ab\"cd"), MalformedField(position: 3, text: "\"x\" "),
                                              nil, nil])
        #expect(records.map(\.line) == [1, 2, 3, 4])
        #expect(records[2].fields == ["C", "fine"])
        #expect(records[3].fields == ["D", "a\"b"])
    }

    @Test("A line of exactly 64 KiB is read; one byte more is refused at its line, whether it has a quote or not, CRLF or LF",
          arguments: [false, true])
    func recordLimit(quoted: Bool) throws {
        let limit = DelimitedRecordReader.maximumRecordBytes
        func line(_ length: Int) -> String {
            quoted ? "\"" + String(repeating: "x", count: length - 2) + "\"" : String(repeating: "x", count: length)
        }
        let fits = try Self.records(Array(("H\r\n" + line(limit) + "\r\n" + line(limit) + "\nT").utf8))
        #expect(fits.map(\.fields.first?.count) == [1, quoted ? limit - 2 : limit, quoted ? limit - 2 : limit, 1])
        for ending in ["\n", "\r\n", ""] {
            do {
                _ = try Self.records(Array(("H\nI\n" + line(limit + 1) + ending + "T\n").utf8))
                Issue.record("a record of \(limit + 1) bytes was read")
            } catch let problem as DelimitedTextProblem {
                #expect(problem.kind == .lineTooLong)
                #expect(problem.line == 3)
            }
        }
    }

    @Test("A long line is refused once 64 KiB of it are read: the reader neither reads nor holds the rest", arguments: [0x78, 0x22])
    func longLineNotHeld(byte: UInt8) throws {
        let source = ByteSource(bytes: [0x48, 0x0A] + [UInt8](repeating: byte, count: 16 * ByteSource.chunkSize))
        let reader = DelimitedRecordReader(source: source, encoding: .utf8)
        #expect(try reader.next()?.fields == ["H"])
        #expect(throws: DelimitedTextProblem.self) { try reader.next() }
        #expect(source.bytesRead <= 2 * ByteSource.chunkSize)
    }

    @Test("A quoted field spanning many lines counts towards one record's limit")
    func quotedFieldSpanningLines() {
        let text = "H\n\"" + String(repeating: "abc\n", count: 20_000) + "\"\n"
        #expect(throws: DelimitedTextProblem.self) { try Self.records(Array(text.utf8)) }
    }
}
