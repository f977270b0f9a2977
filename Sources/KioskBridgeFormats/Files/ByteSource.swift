#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An I/O failure on a named file, with the system's words for it.
public struct FileAccessError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let operation: String
    public let code: Int32
    /// Set when the file was refused because it is not a regular file (and was not read).
    public let kind: FileKind?

    public init(path: String, operation: String, code: Int32, kind: FileKind? = nil) {
        self.path = path
        self.operation = operation
        self.code = code
        self.kind = kind
    }

    public var description: String {
        if let kind { return "\(path) is \(kind.description), not a regular file; it was not read" }
        return "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }

    /// True when the disk (or a quota) is full.
    public var isNoSpace: Bool { code == ENOSPC || code == EDQUOT }
}

/// Bytes read in chunks, from a file or from memory.
///
/// Kiosk files and snapshots can be hundreds of megabytes; they are read a chunk at a
/// time so memory does not grow with the file. Tests and fuzzers hand in memory.
public final class ByteSource {
    /// 64 KiB: a record's limit, and a few hundred records. Every reader allocates and
    /// zeroes its buffers per file, and a cycle opens each of its kiosk files three times
    /// (fingerprint, header, records): 1 MiB buffers cost a small file more in fresh pages
    /// than its reading did.
    public static let chunkSize = 1 << 16

    private var descriptor: Int32 = -1
    private var memory: [UInt8]?
    private var memoryOffset = 0
    public let path: String
    /// Bytes handed out so far: how far into the file a reader got.
    public private(set) var bytesRead = 0

    public init(path: String) throws(FileAccessError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: path, operation: "open", code: errno) }
        descriptor = fd
    }

    /// Opens a file that must be a regular file, the way every file from the inbox is opened.
    ///
    /// The last component of `path` is not followed if it is a link (`O_NOFOLLOW`), the
    /// open does not wait for a writer if it is a named pipe (`O_NONBLOCK`), and what was
    /// opened is checked on the open descriptor (`fstat`), not by name beforehand, so that
    /// nothing swapped in between a check and the open can be read. Anything but a
    /// regular file is refused with ``FileAccessError/kind`` set, unread.
    public init(regularFileAt path: String) throws(FileAccessError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            // ELOOP: the entry is a link; ENXIO: a socket (or a device without its driver).
            let kind = code == ELOOP || code == ENXIO ? FileKind.of(path: path) : nil
            throw FileAccessError(path: path, operation: "open", code: code, kind: kind == .regular ? nil : kind)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw FileAccessError(path: path, operation: "inspect", code: code)
        }
        let kind = FileKind(mode: info.st_mode)
        guard kind == .regular else {
            close(fd)
            throw FileAccessError(path: path, operation: "open", code: EINVAL, kind: kind)
        }
        // Reads of a regular file never wait anyway; the flag only kept the open from waiting.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        descriptor = fd
    }

    /// The open file, for a library that reads it itself (libxml2); -1 for memory.
    var fileDescriptor: Int32 { descriptor }

    /// Starts reading again from the first byte.
    func rewind() throws(FileAccessError) {
        if memory != nil {
            memoryOffset = 0
        } else if lseek(descriptor, 0, SEEK_SET) < 0 {
            throw FileAccessError(path: path, operation: "read", code: errno)
        }
        bytesRead = 0
    }

    public init(bytes: [UInt8], name: String = "(memory)") {
        self.path = name
        memory = bytes
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// A whole small file (a schema, a layout); larger files are read in chunks instead.
    public static func readAll(path: String, limit: Int = 64 << 20) throws(FileAccessError) -> [UInt8] {
        let source = try ByteSource(path: path)
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try source.read(into: &chunk)
            if count == 0 { return all }
            all += chunk[0..<count]
            if all.count > limit { throw FileAccessError(path: path, operation: "read (larger than \(limit >> 20) MB)", code: EFBIG) }
        }
    }

    /// Fills `buffer` from the start with up to its capacity; returns the count, 0 at the end.
    public func read(into buffer: inout [UInt8]) throws(FileAccessError) -> Int {
        if let memory {
            let count = min(buffer.count, memory.count - memoryOffset)
            if count > 0 {
                buffer.withUnsafeMutableBufferPointer { target in
                    memory.withUnsafeBufferPointer { source in
                        guard let to = target.baseAddress, let from = source.baseAddress else { return }
                        to.update(from: from + memoryOffset, count: count)
                    }
                }
            }
            memoryOffset += count
            bytesRead += count
            return count
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                bytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw FileAccessError(path: path, operation: "read", code: errno)
        }
    }
}
