import Foundation
import KioskBridgeFormats
#if canImport(Glibc)
import Glibc
#endif

/// The few file-system operations the bridge's promises rest on, done carefully:
/// renames that are atomic, data and directories flushed before anything is recorded,
/// and folders created with permissions that keep personal data to the service user.
public enum FileSystem {
    /// Creates `path` and missing parents with `mode` (existing folders are left alone).
    public static func ensureFolder(_ path: String, mode: mode_t) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw BridgeError.io("\(path) exists but is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: NSNumber(value: mode)])
            chmod(path, mode)
        } catch {
            throw BridgeError.io("cannot create the folder \(path): \(error.localizedDescription)")
        }
    }

    /// Folders whose entries changed and are still to be flushed, each once.
    public struct FolderSyncs: Sendable {
        private var folders: [String] = []

        public init() {}

        mutating func add(_ folder: String) {
            if !folders.contains(folder) { folders.append(folder) }
        }

        /// Flushes them all; what is recorded about the moves comes after this.
        public mutating func sync() {
            for folder in folders { FileSystem.syncFolder(folder) }
            folders.removeAll()
        }
    }

    /// Flushes a folder's entries (after a rename into or out of it).
    public static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Renames atomically; across file systems (an inbox on a share) falls back to a
    /// flushed copy followed by removal of the original. A link is moved as a link (what
    /// it points at is never read); other entries that are not regular files cannot be
    /// copied, and so cannot be moved across file systems.
    public static func move(_ source: String, to target: String) throws {
        var folders = FolderSyncs()
        try move(source, to: target, syncingLater: &folders)
        folders.sync()
    }

    /// ``move(_:to:)`` whose folders are flushed by the caller, once for many moves: each
    /// flush of a folder waits for the disk, and a cycle moves every file twice.
    public static func move(_ source: String, to target: String, syncingLater folders: inout FolderSyncs) throws {
        if rename(source, target) == 0 {
            folders.add((target as NSString).deletingLastPathComponent)
            folders.add((source as NSString).deletingLastPathComponent)
            return
        }
        let code = errno
        guard code == EXDEV else {
            throw BridgeError.io("cannot move \(source) to \(target): \(String(cString: strerror(code)))")
        }
        let temporary = (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent + ".part"
        switch FileKind.of(path: source) {
        case .symbolicLink?:
            try copyLink(source, to: temporary)
        case .regular?:
            try copyFlushed(source, to: temporary)
        case let kind:
            throw BridgeError.io("cannot move \(source) to \(target): it is \(kind?.description ?? "gone"), which cannot be copied to another file system")
        }
        guard rename(temporary, target) == 0 else {
            throw BridgeError.io("cannot move \(source) to \(target): \(String(cString: strerror(errno)))")
        }
        syncFolder((target as NSString).deletingLastPathComponent)
        unlink(source)
        syncFolder((source as NSString).deletingLastPathComponent)
    }

    /// A new link with the same target; the target itself is not touched.
    static func copyLink(_ source: String, to target: String) throws {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(source, &buffer, buffer.count - 1)
        guard length >= 0 else { throw BridgeError.io("cannot read the link \(source): \(String(cString: strerror(errno)))") }
        buffer[length] = 0
        unlink(target)
        guard symlink(buffer, target) == 0 else {
            throw BridgeError.io("cannot create the link \(target): \(String(cString: strerror(errno)))")
        }
    }

    /// Where a link points, as written in it (nothing is followed); nil if `path` is not a link.
    public static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func copyFlushed(_ source: String, to target: String) throws {
        let input = try ByteSource(regularFileAt: source)
        let output = try DurableFile(path: target, mode: 0o600)
        var buffer = [UInt8](repeating: 0, count: ByteSource.chunkSize)
        while true {
            let count = try input.read(into: &buffer)
            if count == 0 { break }
            try output.write(Array(buffer[0..<count]))
        }
        try output.finish()
    }

    /// A name in `folder` not yet taken: `name`, else `stem.2.ext`, `stem.3.ext`, ...
    public static func freeName(_ name: String, in folder: String, alsoFree: (String) -> Bool = { _ in true }) -> String {
        func taken(_ candidate: String) -> Bool {
            // An entry of any kind takes the name, a dangling link too (a rename would replace it).
            FileKind.of(path: folder + "/" + candidate) != nil || !alsoFree(candidate)
        }
        guard taken(name) else { return name }
        let ext = (name as NSString).pathExtension
        let stem = ext.isEmpty ? name : String(name.dropLast(ext.count + 1))
        var counter = 2
        while true {
            let candidate = ext.isEmpty ? "\(stem).\(counter)" : "\(stem).\(counter).\(ext)"
            if !taken(candidate) { return candidate }
            counter += 1
        }
    }

    /// Writes a small text file atomically (temporary name, flush, rename).
    public static func writeAtomically(_ text: String, to path: String, mode: mode_t) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".tmp"
        let file = try DurableFile(path: temporary, mode: mode)
        try file.write(Array(text.utf8))
        try file.finish()
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw BridgeError.io("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        syncFolder(folder)
    }
}

/// A file being written that will be flushed to disk before it is used.
public final class DurableFile {
    public let path: String
    private var descriptor: Int32

    public init(path: String, mode: mode_t) throws {
        self.path = path
        descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw FileAccessError(path: path, operation: "create", code: errno) }
    }

    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileAccessError(path: path, operation: "write", code: errno)
            }
            offset += written
        }
    }

    /// Flushes to disk and closes.
    public func finish() throws {
        guard descriptor >= 0 else { return }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            descriptor = -1
            throw FileAccessError(path: path, operation: "flush", code: code)
        }
        close(descriptor)
        descriptor = -1
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }
}
