public import KioskBridgeCore

/// One record of a `;`-separated file: its fields and the line it starts on.
public struct DelimitedRecord: Sendable {
    public let line: Int
    public let fields: [String]
    /// The first field that breaks RFC 4180 by holding text after its closing quote
    /// (`"ab"cd`); nil when every field is well formed. Its text in `fields` is what was
    /// read (`abcd`), which must not be taken for the value.
    public let malformed: MalformedField?

    public init(line: Int, fields: [String], malformed: MalformedField? = nil) {
        self.line = line
        self.fields = fields
        self.malformed = malformed
    }
}

/// A quoted field with text after its closing quote.
public struct MalformedField: Sendable, Hashable {
    /// 1-based, as ``RecordField`` counts (the record type is field 1).
    public let position: Int
    /// The field as written, from its opening quote (`"ab"cd`).
    public let text: String

    public static let expectation =
        "a field that ends at its closing quote (RFC 4180: a quote inside a quoted field is written \"\"; nothing may follow the closing quote but ; or the line end)"
}

/// Why a `;`-separated file could not be split into records.
public struct DelimitedTextProblem: Error, Sendable {
    public enum Kind: Sendable {
        case unclosedQuote
        case lineTooLong
    }

    public let kind: Kind
    public let line: Int
    public let message: String

    /// The whole-file refusal it is for a kiosk file or a snapshot.
    public var intakeCode: IntakeProblem.Code {
        switch kind {
        case .unclosedQuote: .unreadableFile
        case .lineTooLong: .lineTooLong
        }
    }
}

/// Splits `;`-separated text into records, a chunk at a time.
///
/// The lexical rules shared by kiosk files and claims snapshots: LF or CRLF line ends,
/// RFC 4180 quoting with `;` as separator (`""` inside quotes is one `"`, and a quoted
/// field may span lines), an optional UTF-8 byte-order mark, UTF-8 or Latin-1, and
/// blank lines ignored.
///
/// A record (a line, or the lines one quoted field spans) holds at most
/// ``maximumRecordBytes`` bytes before its line end. A longer one is refused as soon as the
/// limit is passed, before the rest of it is read, so memory stays at about two chunks
/// whatever a file holds.
///
/// Almost every line has no quote at all: such a line is found whole in the buffer and cut
/// at its separators in one pass. A line with a quote is read byte by byte.
public final class DelimitedRecordReader {
    /// 64 KiB: far beyond any real record (a `D` record is about 120 bytes).
    public static let maximumRecordBytes = 65_536

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
            // Unread bytes (at most one record's limit) and a chunk: the buffer grows once to hold both.
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

    private func tooLong(startingOn startLine: Int) -> DelimitedTextProblem {
        let limit = Self.maximumRecordBytes
        return DelimitedTextProblem(
            kind: .lineTooLong, line: startLine,
            message: "a line of at most \(limit / 1024) KiB (\(limit.formatted) bytes); this one is longer, so the file cannot be read past it")
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
        // Find the end of the line, reading on until it is in the buffer or too long to be a record.
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
            // Even a CR before the line end cannot bring this line within the limit.
            if scanned > Self.maximumRecordBytes + 1 { throw tooLong(startingOn: line) }
            guard try refill() else { break }
        }
        if position == bufferCount { return nil }
        let end = lineEnd ?? bufferCount
        var fields: [String] = []
        fields.reserveCapacity(12)
        let first = position
        let length = buffer.withUnsafeBufferPointer { bytes -> Int in
            var last = end
            if last > first, bytes[last - 1] == 0x0D { last -= 1 }
            guard last - first <= Self.maximumRecordBytes else { return last - first }
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
            return last - first
        }
        if length > Self.maximumRecordBytes { throw tooLong(startingOn: line) }
        let record = DelimitedRecord(line: line, fields: fields)
        if lineEnd != nil {
            position = end + 1
            line += 1
        } else {
            position = bufferCount
        }
        return record
    }

    /// A record read byte by byte: quoted fields, and fields that break the quoting rules.
    private func readRecord() throws -> DelimitedRecord? {
        let startLine = line
        var fields: [String] = []
        /// The field just read was quoted: only `;` or the line end may follow.
        var quotedFieldPending = false
        /// Where the quoted part of a malformed field ends, while the field is being read.
        var malformedQuoteEnd: Int?
        var malformed: MalformedField?
        /// Bytes of the record read so far, and the last two of them.
        var count = 0
        var last: UInt8 = 0
        var beforeLast: UInt8 = 0
        func take(atLineEnd: Bool = false) {
            if atLineEnd, field.last == UInt8(ascii: "\r"), !quotedFieldPending || malformedQuoteEnd != nil { field.removeLast() }
            if let quoteEnd = malformedQuoteEnd {
                let quoted = field[0..<quoteEnd].withUnsafeBufferPointer { encoding.decode($0) }
                let after = field[quoteEnd...].withUnsafeBufferPointer { encoding.decode($0) }
                malformed = MalformedField(position: fields.count + 1, text: "\"" + quoted + "\"" + after)
                malformedQuoteEnd = nil
            }
            takeField(into: &fields)
            quotedFieldPending = false
        }
        func counted(_ byte: UInt8?) throws -> UInt8? {
            guard let byte else { return nil }
            count += 1
            beforeLast = last
            last = byte
            // Beyond the limit even if the record's last two bytes turn out to be its CRLF.
            if count > Self.maximumRecordBytes + 2 { throw tooLong(startingOn: startLine) }
            return byte
        }
        /// The record's length without its line end, checked at its end.
        func finish(lineEnd: Bool) throws -> DelimitedRecord {
            let endBytes = lineEnd ? (beforeLast == 0x0D ? 2 : 1) : (last == 0x0D ? 1 : 0)
            if count - endBytes > Self.maximumRecordBytes { throw tooLong(startingOn: startLine) }
            take(atLineEnd: true)
            return DelimitedRecord(line: startLine, fields: fields, malformed: malformed)
        }
        guard var byte = try counted(nextByte()) else { return nil }
        while true {
            if byte == UInt8(ascii: "\"") && field.isEmpty && !quotedFieldPending {
                // Quoted field: read to the closing quote.
                let quoteLine = line
                while true {
                    guard let inner = try counted(nextByte()) else {
                        throw DelimitedTextProblem(kind: .unclosedQuote, line: quoteLine,
                                                   message: "a quoted field starting on line \(quoteLine) is never closed (expected a closing \")")
                    }
                    if inner == UInt8(ascii: "\"") {
                        if try peekByte() == UInt8(ascii: "\"") {
                            _ = try counted(nextByte())
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
                take()
            } else if byte == UInt8(ascii: "\n") {
                let record = try finish(lineEnd: true)
                line += 1
                return record
            } else if try byte == UInt8(ascii: "\r") && quotedFieldPending && malformedQuoteEnd == nil
                        && peekByte() == UInt8(ascii: "\n") {
                // CR after a closing quote: the line end follows.
            } else {
                if quotedFieldPending && malformedQuoteEnd == nil && malformed == nil {
                    // Text after the closing quote: RFC 4180 does not allow it.
                    malformedQuoteEnd = field.count
                }
                field.append(byte)
            }
            guard let following = try counted(nextByte()) else { return try finish(lineEnd: false) }
            byte = following
        }
    }
}

extension Int {
    /// `65,536`: thousands separated by commas, as the bridge's English messages write counts.
    var formatted: String { BoundedText.grouped(self) }
}
