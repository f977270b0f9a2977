import Foundation
import Testing

/// cli.md `watch`: ingests files as they land, runs a cycle at each cycle boundary, stops
/// cleanly on SIGTERM/SIGINT; a second cycle meanwhile exits 75.
@Suite("watch end to end", .serialized)
struct WatchEndToEndTests {
    @Test("watch: takes a file in as it lands, exports at the cycle boundary, holds the lock, stops cleanly on SIGTERM")
    func watchRunsCyclesAndStops() throws {
        let bridge = try BridgeFixture { $0 = $0.replacingOccurrences(of: "poll_seconds = 5", with: "poll_seconds = 0.3") }
        let process = Process()
        process.executableURL = BridgeFixture.executable
        // Three seconds before the 14:20 boundary; the clock runs on from there.
        process.arguments = ["watch", "--config", bridge.config, "--now", "2026-11-21T14:19:57+01:00"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [KioskCSV.D(id: "K42-1", receipt: "B-1").line]))
        var booked = false
        for _ in 0..<20 where !booked {
            Thread.sleep(forTimeInterval: 0.2)
            booked = bridge.files(in: bridge.inbox).isEmpty && bridge.files(in: bridge.outbox).isEmpty
                && !bridge.allFiles(under: bridge.archive).isEmpty
        }
        #expect(booked, "the file should be taken in before the boundary, without an export")
        #expect(bridge.cycle().status == 75)

        var exported = false
        for _ in 0..<40 where !exported {
            Thread.sleep(forTimeInterval: 0.25)
            exported = bridge.files(in: bridge.outbox) == ["kioskpay_20261121_000001.csv"]
        }
        #expect(exported, "a cycle should run at 14:20")

        let stopping = Date()
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(stopping) < 5)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
    }
}
