import Foundation
public import KioskBridgeCore
import KioskBridgeFormats
#if canImport(Glibc)
import Glibc
#endif

/// A file seen in the inbox: its name, size and modification time at one poll.
public struct InboxEntry: Hashable, Sendable {
    public let name: String
    public let size: Int
    public let modified: Int

    public init(name: String, size: Int, modified: Int) {
        self.name = name
        self.size = size
        self.modified = modified
    }
}

/// A kiosk file claimed into `processing/`.
public struct ClaimedFile: Hashable, Sendable {
    /// The name the vendor gave it.
    public let originalName: String
    /// Its name in `processing/` (the same unless that was taken).
    public let processingName: String
    public let path: String
}

/// The drop folder and the folders a file passes through: inbox → processing → archive
/// or rejected.
///
/// The inbox is often a network share where no file-system events arrive and
/// modification times are coarse, so a file is taken only once it has stayed the same
/// size and age for `settle_seconds` as seen by the bridge. Taking it is a rename into
/// `processing/`; whatever is found there at start-up was taken before a crash and is
/// taken up again.
public struct Inbox: Sendable {
    public let paths: BridgeConfiguration.Paths

    public init(paths: BridgeConfiguration.Paths) {
        self.paths = paths
    }

    /// Names that are still being written and are never read.
    public static func isInProgress(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || lower.hasSuffix(".tmp") || lower.hasSuffix(".part") || lower.hasSuffix(".filepart")
    }

    /// The regular files in the inbox now (links, pipes, folders and the like are not
    /// files to take in; see `setAsideIrregularEntries`). Throws if the inbox cannot be
    /// read at all (a share that went away): nothing is taken and nothing is moved.
    public func list() throws -> [InboxEntry] {
        try Self.list(folder: paths.inbox)
    }

    static func list(folder: String) throws -> [InboxEntry] {
        guard let all = entries(of: folder) else {
            throw BridgeError.io("the inbox \(folder) cannot be read: \(String(cString: strerror(errno))); nothing was taken in")
        }
        return all.filter { FileKind(mode: $0.info.st_mode) == .regular }.map { entry in
            let modified = Int(entry.info.st_mtim.tv_sec) * 1_000_000_000 + Int(entry.info.st_mtim.tv_nsec)
            return InboxEntry(name: entry.name, size: Int(entry.info.st_size), modified: modified)
        }
    }

    /// Every entry of `folder` but those still being written, sorted by name, with what the
    /// entry itself is (a link is not followed); nil if the folder cannot be read.
    static func entries(of folder: String) -> [(name: String, info: stat)]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var entries: [(name: String, info: stat)] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." || isInProgress(name) { continue }
            var info = stat()
            guard fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            entries.append((name, info))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// For one-shot runs: looks, waits `settleSeconds`, looks again, and returns the files
    /// that did not change in between. Files still changing get up to two more waits;
    /// after that they are left for the next run.
    public func settledFiles(settleSeconds: Double, sleep: (Double) -> Void) throws -> (ready: [InboxEntry], waiting: [InboxEntry]) {
        var previous = try list()
        if settleSeconds <= 0 || previous.isEmpty { return (previous, []) }
        var ready: [InboxEntry] = []
        for _ in 0..<3 {
            sleep(settleSeconds)
            let current = try list()
            let before = Set(previous)
            let stable = current.filter { before.contains($0) }
            ready.append(contentsOf: stable)
            let readyNames = Set(ready.map(\.name))
            let unsettled = current.filter { !readyNames.contains($0.name) }
            if unsettled.isEmpty { return (ready, []) }
            previous = unsettled
        }
        return (ready, previous)
    }

    /// Renames the file into `processing/`. Nil if it vanished meanwhile. The caller flushes
    /// `folders` before anything is booked from the file; a file whose rename was lost is
    /// still in the inbox, and is claimed again by the next run.
    public func claim(_ entry: InboxEntry, syncingLater folders: inout FileSystem.FolderSyncs) throws -> ClaimedFile? {
        let source = paths.inbox + "/" + entry.name
        guard access(source, F_OK) == 0 else { return nil }
        let processingName = FileSystem.freeName(entry.name, in: paths.processing)
        let target = paths.processing + "/" + processingName
        try FileSystem.move(source, to: target, syncingLater: &folders)
        CrashPoint.afterClaim.reach()
        return ClaimedFile(originalName: entry.name, processingName: processingName, path: target)
    }

    /// Files left in `processing/` by an earlier run that stopped.
    public func leftInProcessing() throws -> [ClaimedFile] {
        try Self.list(folder: paths.processing).map {
            ClaimedFile(originalName: $0.name, processingName: $0.name, path: paths.processing + "/" + $0.name)
        }
    }

    /// Moves a booked file into the archive, under the day it was taken in; the caller
    /// flushes `folders` before it records where the file went.
    public func archive(_ file: ClaimedFile, takenIn: Instant, syncingLater folders: inout FileSystem.FolderSyncs) throws -> String {
        let folder = paths.archive + "/" + CopenhagenTime.localDate(at: takenIn).description
        try FileSystem.ensureFolder(folder, mode: 0o700)
        let name = FileSystem.freeName(file.originalName, in: folder)
        try FileSystem.move(file.path, to: folder + "/" + name, syncingLater: &folders)
        return folder + "/" + name
    }

    /// Moves a refused file to `rejected/` with `<name>.reason.txt` beside it; the caller
    /// flushes `folders` before it records where the file went.
    public func reject(_ file: ClaimedFile, reason: String, syncingLater folders: inout FileSystem.FolderSyncs) throws -> String {
        try FileSystem.ensureFolder(paths.rejected, mode: 0o700)
        let name = FileSystem.freeName(file.originalName, in: paths.rejected) { candidate in
            !FileManager.default.fileExists(atPath: paths.rejected + "/" + candidate + ".reason.txt")
        }
        try FileSystem.writeAtomically(reason, to: paths.rejected + "/" + name + ".reason.txt", mode: 0o600)
        try FileSystem.move(file.path, to: paths.rejected + "/" + name, syncingLater: &folders)
        return paths.rejected + "/" + name
    }

    /// Writes the list of refused records beside an archived file.
    public func writeRecordNotes(_ text: String, besideArchived path: String) throws {
        try FileSystem.writeAtomically(text, to: path + ".rejected-records.txt", mode: 0o600)
    }
}
