import Foundation
import KioskBridgeCore
import KioskBridgeFormats
#if canImport(Glibc)
import Glibc
#endif

/// An entry in the inbox (or in `processing/`) that is not a regular file: a symbolic
/// link, a named pipe, a socket, a device or a folder.
///
/// The inbox is often a share the vendor writes to. A link there would make the bridge
/// read (and book, and export) a file from anywhere the service user can read; a named
/// pipe would block it; a folder would lie there forever. None of them is ever opened:
/// each is moved to `rejected/` as itself (a link as a link) with a reason beside it, and
/// what cannot be moved is named in the cycle's warnings and by `status`.
struct IrregularEntry: Sendable, Hashable {
    let name: String
    let kind: FileKind
    /// For a link: where it points, as written in the link (nothing is followed).
    let linkTarget: String?

    /// `a symbolic link (to '/srv/other/X.csv')`.
    var what: String {
        kind.description + (linkTarget.map { " (to \(BoundedText($0).quoted))" } ?? "")
    }

    /// `X.csv is a symbolic link (to '/srv/other/X.csv')`.
    var description: String { "\(name) is \(what)" }
}

extension Inbox {
    /// The entries of `folder` that are not regular files. In the inbox only those with a
    /// kiosk file's name count (a vendor's own subfolder named `old` is its business); in
    /// `processing/` every one does, since only the bridge puts entries there.
    static func irregularEntries(in folder: String, kioskNamesOnly: Bool) -> [IrregularEntry] {
        (entries(of: folder) ?? []).compactMap { entry in
            let kind = FileKind(mode: entry.info.st_mode)
            guard kind != .regular, !kioskNamesOnly || KioskFileFormat(fileName: entry.name) != nil else { return nil }
            return IrregularEntry(name: entry.name, kind: kind,
                                  linkTarget: kind == .symbolicLink ? FileSystem.linkTarget(folder + "/" + entry.name) : nil)
        }
    }

    /// Moves every entry of the inbox with a kiosk file's name that is not a regular file,
    /// and any such entry left in `processing/`, to `rejected/` unread. One warning per
    /// entry, for the cycle to name.
    func setAsideIrregularEntries(at now: Instant) -> [String] {
        let inInbox = Self.irregularEntries(in: paths.inbox, kioskNamesOnly: true).map { (paths.inbox, "inbox", $0) }
        let inProcessing = Self.irregularEntries(in: paths.processing, kioskNamesOnly: false).map { (paths.processing, "processing/", $0) }
        return (inInbox + inProcessing).map { folder, place, entry in setAside(entry, from: folder, place: place, at: now) }
    }

    /// A claimed file that turned out, when opened, not to be a regular file (it was
    /// replaced after the inbox was listed). It was not read.
    func setAside(_ file: ClaimedFile, kind: FileKind, at now: Instant) -> String {
        let entry = IrregularEntry(name: file.processingName, kind: kind,
                                   linkTarget: kind == .symbolicLink ? FileSystem.linkTarget(file.path) : nil)
        return setAside(entry, from: paths.processing, place: "processing/", at: now)
    }

    /// Moves one entry, as itself, to `rejected/` with `<name>.reason.txt` beside it.
    private func setAside(_ entry: IrregularEntry, from folder: String, place: String, at now: Instant) -> String {
        let source = folder + "/" + entry.name
        do {
            try FileSystem.ensureFolder(paths.rejected, mode: 0o700)
            let name = FileSystem.freeName(entry.name, in: paths.rejected) { candidate in
                FileKind.of(path: paths.rejected + "/" + candidate + ".reason.txt") == nil
            }
            let reasonPath = paths.rejected + "/" + name + ".reason.txt"
            try FileSystem.writeAtomically(RejectionNotes.irregularEntry(entry, at: now), to: reasonPath, mode: 0o600)
            do {
                try FileSystem.move(source, to: paths.rejected + "/" + name)
            } catch {
                unlink(reasonPath)
                throw error
            }
            return "\(place): \(entry.description), not a regular file: moved to rejected/\(name) unread, with a reason beside it"
        } catch {
            return "\(place): \(entry.description), not a regular file, and cannot be moved to rejected/ (\(BridgeError.describing(error))); it is never read: remove it by hand"
        }
    }

    /// For `status`: entries in the inbox or in `processing/` that are not regular files.
    /// A cycle moves them; one still there was not moved yet, or cannot be.
    static func irregularEntriesCheck(paths: BridgeConfiguration.Paths) -> BridgeStatus.Check? {
        let entries = irregularEntries(in: paths.inbox, kioskNamesOnly: true).map { ("inbox", $0) }
            + irregularEntries(in: paths.processing, kioskNamesOnly: false).map { ("processing/", $0) }
        guard !entries.isEmpty else { return nil }
        let shown = entries.prefix(10).map { place, entry in "\(place) \(entry.name) (\(entry.kind.description))" }
        let more = entries.count > shown.count ? " and \(entries.count - shown.count) more" : ""
        return BridgeStatus.Check(
            name: "inbox-entries", level: .warning,
            message: "\(entries.count) entr\(entries.count == 1 ? "y is" : "ies are") not regular files and never read: "
                + shown.joined(separator: ", ") + more
                + "; a cycle moves such entries to rejected/, and one it cannot move must be removed by hand")
    }
}
