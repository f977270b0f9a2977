import Foundation
import GRDB
import StoreTestSupport
import Testing

/// What the bridge does when the world misbehaves: a full disk, an outbox it cannot write,
/// a database held by another process, an inbox share that disappears, a vendor writing
/// slowly, two cycles at once. In every case: a clear error, nothing lost, nothing twice.
@Suite("Faults end to end", .serialized)
struct FaultsEndToEndTests {
    static func mount(_ options: String, at folder: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", folder]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    static func unmount(_ folder: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [folder]
        try? process.run()
        process.waitUntilExit()
    }

    /// Mounting a small tmpfs needs privileges a CI container may not have.
    static let canMountTmpfs: Bool = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-mount-probe-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard mount("size=16k", at: folder) else { return false }
        unmount(folder)
        return true
    }()

    static func manyPayments(_ count: Int, sequence: Int = 1) -> String {
        KioskCSV.file(sequence: sequence, records: (1...count).map { KioskCSV.D(id: "K42-\(sequence)-\($0)", receipt: "B-\(sequence)-\($0)").line })
    }

    @Test("Disk full while writing an export: the cycle fails cleanly, nothing is recorded as exported, the next cycle after space returns exports it",
          .enabled(if: canMountTmpfs, "needs permission to mount a small tmpfs"))
    func diskFull() throws {
        let bridge = try BridgeFixture()
        let outbox = bridge.outbox.path
        #expect(Self.mount("size=8k", at: outbox))
        defer { Self.unmount(outbox) }
        try bridge.drop("a.csv", Self.manyPayments(200))
        let failed = bridge.cycle()
        #expect(failed.status == 74)
        #expect((failed.json["errors"] as? [String])?.first?.contains("space") == true)
        #expect(bridge.files(in: bridge.outbox).isEmpty)
        #expect(bridge.receipt("B-1-1").first?["status"] as? String == "received")
        Self.unmount(outbox)
        #expect(Self.mount("size=4m", at: outbox))
        let recovered = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(recovered.status == 0)
        #expect(recovered.json["export_files"] as? [String] == ["kioskpay_20261121_000001.csv"])
        #expect(bridge.outboxFile("kioskpay_20261121_000001.csv").components(separatedBy: "\nL;").count == 201)
        #expect(bridge.receipt("B-1-1").first?["status"] as? String == "exported")
    }

    @Test("Outbox not writable: the cycle fails with a clear error and exit 74; the payments go out once it is fixed")
    func outboxNotWritable() throws {
        let bridge = try BridgeFixture()
        // A regular file where the outbox should be: no permission bits help here, even as root.
        try FileManager.default.removeItem(at: bridge.outbox)
        try Data().write(to: bridge.outbox)
        try bridge.drop("a.csv", Self.manyPayments(3))
        let failed = bridge.cycle()
        #expect(failed.status == 74)
        #expect((failed.json["errors"] as? [String])?.first?.contains("outbox") == true)
        #expect(failed.json["files_accepted"] as? Int == 1)
        try FileManager.default.removeItem(at: bridge.outbox)
        try FileManager.default.createDirectory(at: bridge.outbox, withIntermediateDirectories: false)
        let recovered = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(recovered.status == 0)
        #expect(bridge.files(in: bridge.outbox) == ["kioskpay_20261121_000001.csv"])
    }

    @Test("Database locked by another process: exit 74 with a clear error; the files wait and are taken in afterwards")
    func databaseLocked() throws {
        let bridge = try BridgeFixture(backend: .sqlite) {
            $0 = $0.replacingOccurrences(of: "busy_timeout_seconds = 10", with: "busy_timeout_seconds = 0.5")
        }
        try bridge.drop("a.csv", Self.manyPayments(2))
        let holder = try DatabaseQueue(path: bridge.root.appendingPathComponent("kioskbridge.sqlite").path)
        // Another process holds the database while the cycle runs.
        let blocked = try holder.writeWithoutTransaction { db -> BridgeFixture.Result in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            defer { try? db.execute(sql: "COMMIT") }
            return bridge.cycle()
        }
        #expect(blocked.status == 74)
        #expect(blocked.stderr.contains("locked"))
        #expect(bridge.files(in: bridge.rejected).isEmpty)
        let later = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(later.status == 0)
        #expect(later.json["payments_exported"] as? Int == 2)
    }

    @Test("Inbox on a share that disappears: a clear error naming the inbox, no mass rejection, nothing moved")
    func inboxDisappears() throws {
        let bridge = try BridgeFixture()
        try FileManager.default.removeItem(at: bridge.inbox)
        let result = bridge.cycle()
        #expect(result.status == 74)
        #expect((result.json["errors"] as? [String])?.first?.contains(bridge.inbox.path) == true)
        #expect(result.json["files_rejected"] as? Int == 0)
        #expect(bridge.files(in: bridge.rejected).isEmpty)
        try FileManager.default.createDirectory(at: bridge.inbox, withIntermediateDirectories: true)
        try bridge.drop("a.csv", Self.manyPayments(1))
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").json["files_accepted"] as? Int == 1)
    }

    @Test("A vendor writing a file slowly: it is never taken half-written, and is taken once complete")
    func slowWriter() throws {
        let bridge = try BridgeFixture(settleSeconds: 1)
        let lines = Self.manyPayments(12).split(separator: "\n").map(String.init)
        let path = bridge.inbox.appendingPathComponent("slow.csv").path
        FileManager.default.createFile(atPath: path, contents: nil)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            for line in lines {
                try? handle.write(contentsOf: Data((line + "\n").utf8))
                Thread.sleep(forTimeInterval: 0.4)
            }
            try? handle.close()
        }
        writer.start()
        var rejected = 0
        var accepted = 0
        for minute in 0..<5 {
            let result = bridge.cycle(at: "2026-11-21T14:\(20 + minute * 5):00+01:00")
            rejected += result.json["files_rejected"] as? Int ?? 0
            accepted += result.json["files_accepted"] as? Int ?? 0
        }
        #expect(rejected == 0)
        #expect(accepted == 1)
        #expect(bridge.receipt("B-1-12").first?["status"] as? String == "exported")
    }

    @Test("Two cycle processes started together: one works, the other exits 75")
    func twoCyclesTogether() throws {
        let bridge = try BridgeFixture(settleSeconds: 1)
        try bridge.drop("a.csv", Self.manyPayments(2))
        let processes = (0..<2).map { _ in
            let process = Process()
            process.executableURL = BridgeFixture.executable
            process.arguments = ["cycle", "--config", bridge.config, "--now", "2026-11-21T14:20:00+01:00"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        let statuses = processes.map(\.terminationStatus)
        #expect(statuses.sorted() == [0, 75])
        #expect(bridge.files(in: bridge.outbox) == ["kioskpay_20261121_000001.csv"])
    }
}
