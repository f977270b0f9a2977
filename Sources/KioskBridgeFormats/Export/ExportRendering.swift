public import KioskBridgeCore
import Crypto

/// Where rendered export bytes go: the outbox's temporary file and the archive copy,
/// or memory in tests.
public protocol ExportSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
}

/// Collects bytes in memory.
public final class MemorySink: ExportSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: [UInt8]) throws { self.bytes += bytes }
}

/// Writes the same bytes to several sinks and hashes them on the way.
public final class HashingSink: ExportSink {
    private let targets: [any ExportSink]
    private var hasher = SHA256()
    public private(set) var byteCount = 0

    public init(_ targets: [any ExportSink]) {
        self.targets = targets
    }

    public func write(_ bytes: [UInt8]) throws {
        hasher.update(data: bytes)
        byteCount += bytes.count
        for target in targets { try target.write(bytes) }
    }

    /// The SHA-256 of everything written, in hex.
    public func finalize() -> String {
        hasher.finalize().map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }
}

/// A layout of debtor import file. The same batch, lines and creation time always give
/// the same bytes: a batch re-published after a crash is byte-for-byte the batch the
/// debtor may already have seen.
public protocol ExportRendering: Sendable {
    /// `csv`, `xml`, `txt`.
    var fileExtension: String { get }
    /// True when the document states the number and sum of its entries before the first
    /// one (camt.054): the batch's `entryTotals` must then be counted before rendering.
    var needsEntryTotals: Bool { get }
    /// Starts a document; lines are then added in file order and the document finished.
    func makeWriter(batch: ExportBatchInfo, sink: any ExportSink) throws -> any ExportDocumentWriter
    /// Checks a finished document before it is released (camt.054: schema validation);
    /// throws `ExportDocumentError` when it must not be delivered.
    func check(renderedFile path: String) throws
}

extension ExportRendering {
    public var needsEntryTotals: Bool { false }
    public func check(renderedFile path: String) throws {}
}

/// One export document being written, a line at a time, so memory does not grow with
/// the batch.
public protocol ExportDocumentWriter: AnyObject {
    func add(_ line: ExportLine) throws
    func finish() throws
}

extension ExportRendering {
    /// Renders a whole document into memory (tests, previews).
    public func render(batch: ExportBatchInfo, lines: [ExportLine]) throws -> [UInt8] {
        var batch = batch
        if needsEntryTotals {
            var counter = ExportEntryTotals.Counter()
            for line in lines { counter.add(line) }
            batch.entryTotals = counter.finish()
        }
        let sink = MemorySink()
        let writer = try makeWriter(batch: batch, sink: sink)
        for line in lines { try writer.add(line) }
        try writer.finish()
        return sink.bytes
    }
}
