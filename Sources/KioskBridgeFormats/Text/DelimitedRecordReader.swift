/// One record of a `;`-separated file: its fields and the line it starts on.
public struct DelimitedRecord: Sendable {
    public let line: Int
    public let fields: [String]
}

/// Why a `;`-separated file could not be split into records.
public struct DelimitedTextProblem: Error, Sendable {
    public let line: Int
    public let message: String
}

/// Splits `;`-separated text into records, a chunk at a time.
///
/// The lexical rules shared by kiosk files and claims snapshots: LF or CRLF line ends,
/// RFC 4180 quoting with `;` as separator (`""` inside quotes is one `"`, and a quoted
/// field may span lines), an optional UTF-8 byte-order mark, UTF-8 or Latin-1, and
/// blank lines ignored. Memory does not grow with the file.
public final class DelimitedRecordReader {
    private let source: ByteSource
    private let encoding: TextEncoding
    private var buffer: [UInt8]
    private var bufferCount = 0
    private var position = 0
    private var endOfInput = false
    private var atStart = true
    private var line = 1
    private var field: [UInt8] = []

    public init(source: ByteSource, encoding: TextEncoding) {
        self.source = source
        self.encoding = encoding
        self.buffer = [UInt8](repeating: 0, count: ByteSource.chunkSize)
        field.reserveCapacity(256)
    }

    @inline(__always)
    private func nextByte() throws(FileAccessError) -> UInt8? {
        if position == bufferCount {
            if endOfInput { return nil }
            bufferCount = try source.read(into: &buffer)
            position = 0
            if bufferCount == 0 {
                endOfInput = true
                return nil
            }
        }
        let byte = buffer[position]
        position += 1
        return byte
    }

    @inline(__always)
    private func peekByte() throws(FileAccessError) -> UInt8? {
        guard let byte = try nextByte() else { return nil }
        position -= 1
        return byte
    }

    private func takeField(into fields: inout [String]) {
        fields.append(field.withUnsafeBufferPointer { encoding.decode($0) })
        field.removeAll(keepingCapacity: true)
    }

    /// The next non-blank record, or nil at the end of the input.
    public func next() throws -> DelimitedRecord? {
        if atStart {
            atStart = false
            if encoding == .utf8, try peekByte() == 0xEF {
                let saved = position
                let bom = [try nextByte(), try nextByte(), try nextByte()]
                if bom != [0xEF, 0xBB, 0xBF] { position = saved }
            }
        }
        while true {
            guard let record = try readRecord() else { return nil }
            let blank = record.fields.count == 1 && record.fields[0].allSatisfy { $0 == " " || $0 == "\t" }
            if !blank { return record }
        }
    }

    private func readRecord() throws -> DelimitedRecord? {
        let startLine = line
        var fields: [String] = []
        var quotedFieldPending = false
        guard var byte = try nextByte() else { return nil }
        while true {
            if byte == UInt8(ascii: "\"") && field.isEmpty && !quotedFieldPending {
                // Quoted field: read to the closing quote.
                let quoteLine = line
                while true {
                    guard let inner = try nextByte() else {
                        throw DelimitedTextProblem(line: quoteLine, message: "a quoted field starting on line \(quoteLine) is never closed (expected a closing \")")
                    }
                    if inner == UInt8(ascii: "\"") {
                        if try peekByte() == UInt8(ascii: "\"") {
                            _ = try nextByte()
                            field.append(inner)
                            continue
                        }
                        break
                    }
                    if inner == UInt8(ascii: "\n") { line += 1 }
                    field.append(inner)
                }
                quotedFieldPending = true
            } else if byte == UInt8(ascii: ";") {
                takeField(into: &fields)
                quotedFieldPending = false
            } else if byte == UInt8(ascii: "\n") {
                if !quotedFieldPending, field.last == UInt8(ascii: "\r") { field.removeLast() }
                takeField(into: &fields)
                line += 1
                return DelimitedRecord(line: startLine, fields: fields)
            } else if byte == UInt8(ascii: "\r") && quotedFieldPending {
                // CR after a closing quote: the line end follows.
            } else {
                field.append(byte)
            }
            guard let following = try nextByte() else {
                if !quotedFieldPending, field.last == UInt8(ascii: "\r") { field.removeLast() }
                takeField(into: &fields)
                return DelimitedRecord(line: startLine, fields: fields)
            }
            byte = following
        }
    }
}
