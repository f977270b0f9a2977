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
/// blank lines ignored. Memory does not grow with the file (only with its longest line).
///
/// Almost every line has no quote at all: such a line is found whole in the buffer and cut
/// at its separators in one pass. A line with a quote is read byte by byte.
public final class DelimitedRecordReader {
    private let source: ByteSource
    private let encoding: TextEncoding
    private var buffer: [UInt8]
    private var chunk: [UInt8]
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
        self.chunk = [UInt8](repeating: 0, count: ByteSource.chunkSize)
        field.reserveCapacity(256)
    }

    /// Keeps the unread bytes, moved to the front, and appends the next chunk of input.
    /// False at the end of the input.
    private func refill() throws(FileAccessError) -> Bool {
        if endOfInput { return false }
        let count = try source.read(into: &chunk)
        if count == 0 {
            endOfInput = true
            return false
        }
        let unread = bufferCount - position
        if position > 0 {
            buffer.withUnsafeMutableBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                base.update(from: base + position, count: unread)
            }
            position = 0
            bufferCount = unread
        }
        if bufferCount + count > buffer.count {
            // A line longer than the buffer: the buffer grows to hold it.
            buffer.append(contentsOf: repeatElement(0, count: bufferCount + count - buffer.count))
        }
        buffer.withUnsafeMutableBufferPointer { target in
            chunk.withUnsafeBufferPointer { from in
                guard let to = target.baseAddress, let start = from.baseAddress else { return }
                (to + bufferCount).update(from: start, count: count)
            }
        }
        bufferCount += count
        return true
    }

    @inline(__always)
    private func nextByte() throws(FileAccessError) -> UInt8? {
        if position == bufferCount {
            guard try refill() else { return nil }
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
            guard let record = try readPlainRecord() ?? readRecord() else { return nil }
            let blank = record.fields.count == 1 && record.fields[0].allSatisfy { $0 == " " || $0 == "\t" }
            if !blank { return record }
        }
    }

    /// The next record when its line has no quote, cut at its separators in place; nil when
    /// the line has a quote (or the input has ended), for `readRecord` to read.
    private func readPlainRecord() throws -> DelimitedRecord? {
        // Find the end of the line, reading on until it is in the buffer.
        var scanned = 0
        var lineEnd: Int?
        var hasQuote = false
        while true {
            let start = position + scanned
            let found = buffer.withUnsafeBufferPointer { bytes -> (end: Int?, quote: Bool) in
                var index = start
                var quote = false
                while index < bufferCount {
                    let byte = bytes[index]
                    if byte == 0x0A { return (index, quote) }
                    if byte == 0x22 { quote = true }
                    index += 1
                }
                return (nil, quote)
            }
            hasQuote = hasQuote || found.quote
            if hasQuote { return nil }
            if let end = found.end {
                lineEnd = end
                break
            }
            scanned = bufferCount - position
            guard try refill() else { break }
        }
        if position == bufferCount { return nil }
        let end = lineEnd ?? bufferCount
        var fields: [String] = []
        fields.reserveCapacity(12)
        let first = position
        buffer.withUnsafeBufferPointer { bytes in
            var last = end
            if last > first, bytes[last - 1] == 0x0D { last -= 1 }
            var fieldStart = first
            var index = first
            while index < last {
                if bytes[index] == 0x3B {
                    fields.append(encoding.decode(UnsafeBufferPointer(rebasing: bytes[fieldStart..<index])))
                    fieldStart = index + 1
                }
                index += 1
            }
            fields.append(encoding.decode(UnsafeBufferPointer(rebasing: bytes[fieldStart..<last])))
        }
        let record = DelimitedRecord(line: line, fields: fields)
        if lineEnd != nil {
            position = end + 1
            line += 1
        } else {
            position = bufferCount
        }
        return record
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
