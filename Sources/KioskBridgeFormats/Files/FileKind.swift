#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a directory entry is, as the file system says without following a link.
///
/// The inbox takes regular files only. Anything else that carries a kiosk file's name (a
/// link, a named pipe, a socket, a device, a folder) is never opened for reading: a link
/// would make the bridge read a file outside the inbox, and a named pipe would block it.
public enum FileKind: String, Sendable, Hashable {
    case regular
    case folder
    case symbolicLink
    case namedPipe
    case socket
    case characterDevice
    case blockDevice
    case unknown

    public init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .folder
        case S_IFLNK: self = .symbolicLink
        case S_IFIFO: self = .namedPipe
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// What an entry at `path` is, without following a link; nil if there is none.
    public static func of(path: String) -> FileKind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileKind(mode: info.st_mode)
    }

    /// In a sentence: `X.csv is a symbolic link`.
    public var description: String {
        switch self {
        case .regular: "a regular file"
        case .folder: "a folder"
        case .symbolicLink: "a symbolic link"
        case .namedPipe: "a named pipe (FIFO)"
        case .socket: "a socket"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .unknown: "not a regular file (an entry of an unknown kind)"
        }
    }
}
