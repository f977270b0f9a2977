import Crypto

/// What the bridge learns from a first pass over a file before it reads any record:
/// its identity (SHA-256 of the content), size, encoding and first bytes.
///
/// The content hash is the file's identity: the same content under another name is the
/// same file, and a file is recognised again after a crash.
public struct FileFingerprint: Sendable, Hashable {
    public let sha256: String
    public let size: Int
    public let encoding: TextEncoding
    public let hasByteOrderMark: Bool
    /// Up to 64 bytes from the start, for telling XML from CSV.
    public let leadingBytes: [UInt8]

    public static func of(_ source: ByteSource) throws(FileAccessError) -> FileFingerprint {
        var hasher = SHA256()
        var validation = UTF8Validation()
        var buffer = [UInt8](repeating: 0, count: ByteSource.chunkSize)
        var size = 0
        var leading: [UInt8] = []
        while true {
            let count = try source.read(into: &buffer)
            if count == 0 { break }
            buffer.withUnsafeBufferPointer { all in
                let chunk = UnsafeBufferPointer(rebasing: all[0..<count])
                hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
                validation.consume(chunk)
            }
            if leading.count < 64 { leading += buffer[0..<min(count, 64 - leading.count)] }
            size += count
        }
        validation.finish()
        let digest = hasher.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
        let bom = leading.starts(with: [0xEF, 0xBB, 0xBF])
        return FileFingerprint(sha256: digest, size: size, encoding: validation.isValid ? .utf8 : .latin1,
                               hasByteOrderMark: bom, leadingBytes: leading)
    }

    public static func of(bytes: [UInt8]) -> FileFingerprint {
        // Memory sources cannot fail.
        (try? of(ByteSource(bytes: bytes))) ?? FileFingerprint(sha256: "", size: 0, encoding: .utf8, hasByteOrderMark: false, leadingBytes: [])
    }

    /// Whether the content starts like an XML document (after an optional BOM and blanks).
    public var looksLikeXML: Bool {
        var bytes = leadingBytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "<")
    }
}
