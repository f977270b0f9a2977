import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The inbox takes regular files only: links, named pipes and folders with a kiosk file's
/// name are never read, and are moved to rejected/ as themselves.
@Suite("Inbox: regular files only, end to end", .serialized)
struct InboxEntriesEndToEndTests {
    static func kind(_ url: URL) -> mode_t? {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// True when /dev/shm is a file system of its own, beside the temporary folder.
    static var secondFileSystem: Bool {
        var temporary = stat()
        var shm = stat()
        return stat(FileManager.default.temporaryDirectory.path, &temporary) == 0 && stat("/dev/shm", &shm) == 0
            && temporary.st_dev != shm.st_dev && access("/dev/shm", W_OK) == 0
    }

    @Test("A link to a well-formed kiosk file outside the inbox books nothing; the link, not its target, is moved to rejected/")
    func linkIsNeverFollowed() throws {
        let bridge = try BridgeFixture()
        let outside = bridge.root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let target = outside.appendingPathComponent("KIOSK-0042_20261121141500_000001.csv")
        let content = KioskCSV.file(location: "Secret branch", sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-SECRET").line])
        try content.write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: bridge.inbox.appendingPathComponent("KIOSK-0042_1.csv").path,
                                                   withDestinationPath: target.path)

        let result = bridge.cycle()
        #expect(result.status == 0)
        #expect(result.json["files_accepted"] as? Int == 0)
        #expect(result.json["payments_exported"] as? Int == 0)
        let warnings = result.json["warnings"] as? [String] ?? []
        #expect(warnings.contains { $0.contains("KIOSK-0042_1.csv is a symbolic link") && $0.contains("moved to rejected/") })
        // The link was moved as a link; its target is where it was, unchanged.
        #expect(Self.kind(bridge.rejected.appendingPathComponent("KIOSK-0042_1.csv")) == S_IFLNK)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: bridge.rejected.appendingPathComponent("KIOSK-0042_1.csv").path) == target.path)
        #expect(bridge.text(target) == content)
        #expect(bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_1.csv.reason.txt")).contains("a symbolic link"))
        // Nothing of the target was read: not booked, not in any output, not found by the desk.
        #expect(bridge.receipt("B-SECRET").isEmpty)
        #expect(!(result.stdout + result.stderr).contains("Secret branch"))
        #expect(!bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_1.csv.reason.txt")).contains("Secret branch"))
        #expect(bridge.files(in: bridge.outbox).isEmpty)
        #expect(bridge.files(in: bridge.inbox).isEmpty)
    }

    @Test("A named pipe and a folder with kiosk file names are moved to rejected/ as themselves, each with its reason; other folders are left alone")
    func pipeAndFolderAreMoved() throws {
        let bridge = try BridgeFixture()
        #expect(mkfifo(bridge.inbox.appendingPathComponent("KIOSK-0042_2.csv").path, 0o644) == 0)
        let folder = bridge.inbox.appendingPathComponent("KIOSK-0042_3.xml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "inside".write(to: folder.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let vendors = bridge.inbox.appendingPathComponent("sent")
        try FileManager.default.createDirectory(at: vendors, withIntermediateDirectories: true)
        // A pipe left in processing/ (the bridge's own folder) is set aside too.
        #expect(mkfifo(bridge.processing.appendingPathComponent("left.csv").path, 0o644) == 0)
        try bridge.drop("KIOSK-0042_20261121141500_000001.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))

        let result = bridge.cycle()
        #expect(result.status == 0)
        #expect(result.json["files_accepted"] as? Int == 1)
        #expect(Self.kind(bridge.rejected.appendingPathComponent("KIOSK-0042_2.csv")) == S_IFIFO)
        #expect(Self.kind(bridge.rejected.appendingPathComponent("KIOSK-0042_3.xml")) == S_IFDIR)
        #expect(bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_3.xml/note.txt")) == "inside")
        #expect(Self.kind(bridge.rejected.appendingPathComponent("left.csv")) == S_IFIFO)
        #expect(bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_2.csv.reason.txt")).contains("a named pipe (FIFO)"))
        #expect(bridge.text(bridge.rejected.appendingPathComponent("KIOSK-0042_3.xml.reason.txt")).contains("a folder"))
        #expect(bridge.files(in: bridge.inbox) == ["sent"])
        #expect(bridge.files(in: bridge.processing).isEmpty)
        let warnings = result.json["warnings"] as? [String] ?? []
        #expect(warnings.filter { $0.contains("not a regular file") }.count == 3)
        #expect(bridge.run(["status"], now: "2026-11-21T14:21:00+01:00").stdout.contains("inbox-entries") == false)
    }

    @Test("What cannot be moved (a folder and a pipe, with rejected/ on another file system) is named once in each cycle's warnings and by status",
          .enabled(if: secondFileSystem, "needs /dev/shm as a second, writable file system"))
    func unmovableEntriesAreNamed() throws {
        let rejected = "/dev/shm/kioskbridge-e2e-rejected-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: rejected) }
        let bridge = try BridgeFixture { $0 = $0.replacingOccurrences(of: "rejected = \"rejected\"", with: "rejected = \"\(rejected)\"") }
        try FileManager.default.createDirectory(at: bridge.inbox.appendingPathComponent("KIOSK-0042_3.csv"), withIntermediateDirectories: true)
        #expect(mkfifo(bridge.inbox.appendingPathComponent("KIOSK-0042_4.csv").path, 0o644) == 0)

        for now in ["2026-11-21T14:20:00+01:00", "2026-11-21T14:40:00+01:00"] {
            let result = bridge.cycle(at: now)
            #expect(result.status == 0)
            let warnings = result.json["warnings"] as? [String] ?? []
            #expect(warnings.filter { $0.contains("KIOSK-0042_3.csv is a folder") && $0.contains("cannot be moved") }.count == 1)
            #expect(warnings.filter { $0.contains("KIOSK-0042_4.csv is a named pipe") && $0.contains("cannot be moved") }.count == 1)
        }
        #expect(bridge.files(in: bridge.inbox) == ["KIOSK-0042_3.csv", "KIOSK-0042_4.csv"])
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: rejected)) ?? []).isEmpty)

        let status = bridge.run(["status"], now: "2026-11-21T14:41:00+01:00")
        #expect(status.status == 1)
        let checks = status.json["checks"] as? [[String: Any]] ?? []
        let entries = checks.first { $0["name"] as? String == "inbox-entries" }
        #expect(entries?["level"] as? String == "warning")
        #expect((entries?["message"] as? String)?.contains("inbox KIOSK-0042_3.csv (a folder)") == true)
        #expect((entries?["message"] as? String)?.contains("inbox KIOSK-0042_4.csv (a named pipe (FIFO))") == true)
    }

    @Test("claims import FILE follows a link: the operator chose the file")
    func claimsImportFollowsALink() throws {
        let bridge = try BridgeFixture()
        let real = bridge.root.appendingPathComponent("snapshot-real.csv")
        try sampleClaims.write(to: real, atomically: true, encoding: .utf8)
        let link = bridge.root.appendingPathComponent("claims-latest.csv")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        let result = bridge.run(["claims", "import", link.path], now: "2026-11-21T06:30:00+01:00")
        #expect(result.status == 0)
        #expect(result.json["claims"] as? Int == 3)
    }
}
