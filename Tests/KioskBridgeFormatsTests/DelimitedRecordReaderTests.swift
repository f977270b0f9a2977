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

    @Test("A line longer than a chunk, a quoted field spanning lines, and a last line without its line end")
    func longAndOpenLines() throws {
        let long = String(repeating: "x", count: ByteSource.chunkSize + 17)
        let text = "A;\(long);b\nB;\"one\ntwo\";c\r\nC;last"
        let records = try Self.records(Array(text.utf8))
        #expect(records.map(\.fields) == [["A", long, "b"], ["B", "one\ntwo", "c"], ["C", "last"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("Latin-1 bytes are read as Latin-1 on the quick path too")
    func latin1() throws {
        let records = try Self.records([0x48, 0x3B, 0xC5, 0x62, 0x79, 0x68, 0xF8, 0x6A, 0x0A], encoding: .latin1)
        #expect(records.map(\.fields) == [["H", "Åbyhøj"]])
    }
}
