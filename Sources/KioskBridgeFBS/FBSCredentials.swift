import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client system's FBS login (not a patron's), read from `[fbs] credentials_file`.
///
/// The file holds two lines, the username and the password. It must be a regular file
/// that neither group nor others may read or write (mode 0600 or 0400): the password
/// opens every patron's fees. It never prints its password.
public struct FBSCredentials: Sendable, CustomStringConvertible, CustomReflectable {
    /// A credentials file is a few dozen bytes; anything much larger is the wrong file.
    public static let maximumFileSize = 4096

    public let username: String
    let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "FBS credentials of \(username) (password not shown)" }

    /// `dump` and debuggers see the username only.
    public var customMirror: Mirror { Mirror(self, children: ["username": username]) }

    /// Reads and checks the file at `path`.
    public static func read(from path: String) throws(FBSError) -> FBSCredentials {
        let bytes = try readPrivateFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw unusable(path, "is not UTF-8 text")
        }
        // "\r\n" is one Character in Swift, and a newline like "\n".
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        guard lines.count == 2 else {
            throw unusable(path, "has \(lines.count) line\(lines.count == 1 ? "" : "s"); it must have two: the username, then the password")
        }
        let username = lines[0].trimmingCharacters(in: .whitespaces)
        let password = String(lines[1])
        guard !username.isEmpty else { throw unusable(path, "has an empty first line; it must hold the username") }
        guard !password.isEmpty else { throw unusable(path, "has an empty second line; it must hold the password") }
        return FBSCredentials(username: username, password: password)
    }

    /// The file's bytes, after checking on the open file itself (no race with a rename)
    /// that it is a small regular file that group and others have no access to.
    static func readPrivateFile(_ path: String) throws(FBSError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw unusable(path, "cannot be opened (\(reason))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw unusable(path, "cannot be examined") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw unusable(path, "is not a regular file") }
        let mode = Int(status.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            let octal = "0" + String(mode, radix: 8)
            throw unusable(path, "has mode \(octal): group or others may access it; it must be readable by the service user only (chmod 600 \(path))")
        }
        guard status.st_size <= maximumFileSize else {
            throw unusable(path, "is \(status.st_size) bytes; a credentials file has two short lines")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let read = readSome(descriptor, into: &bytes, from: count)
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw unusable(path, "cannot be read") }
            if read == 0 { break }
            count += read
        }
        guard count <= maximumFileSize else { throw unusable(path, "grew while it was read") }
        return Array(bytes[..<count])
    }

    static func unusable(_ path: String, _ problem: String) -> FBSError {
        FBSError(.credentialsUnusable, operation: nil, message: "the FBS credentials file \(path) \(problem)")
    }
}

/// One `read(2)` into `bytes` from `offset` on.
private func readSome(_ descriptor: Int32, into bytes: inout [UInt8], from offset: Int) -> Int {
    bytes.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress, offset < buffer.count else { return 0 }
        return read(descriptor, base + offset, buffer.count - offset)
    }
}
