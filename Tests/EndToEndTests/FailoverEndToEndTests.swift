import Foundation
import StoreTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// hosting.md "Two servers, one municipality", in a form small enough for every test run
/// on PostgreSQL: two bridges (two working folders stand in for two servers) on one
/// schema and one set of folders; the one at work is killed with SIGKILL (the other takes
/// over at once) or paused with SIGSTOP past its lease (the other takes over then), and at the end every payment is in each
/// profile exactly once. `scripts/failover-soak` is the large form.
@Suite("Failover (small): two servers, one schema, the active one killed or paused", .serialized)
struct FailoverEndToEndTests {
    static let leaseSeconds = 2

    /// Runs `cycle` on `server` until it exits 0: 75 while the other holds the lease, 74
    /// "busy" while the server has not yet ended a paused holder's statement. Returns how
    /// often it was refused.
    @discardableResult
    func cycleUntilDone(_ bridge: BridgeFixture, on server: URL, at now: String, round: Int) throws -> Int {
        var refused = 0
        for _ in 0..<200 {
            let result = BridgeFixture.run(["cycle", "--config", bridge.config, "--now", now, "--json"], in: server)
            switch result.status {
            case 0:
                #expect((result.json["errors"] as? [Any])?.isEmpty ?? true, "round \(round): \(result.stdout)")
                return refused
            case 75:
                refused += 1
                usleep(250_000)
            case 74 where result.stderr.contains("busy"):
                usleep(500_000)
            default:
                Issue.record("round \(round): cycle exited \(result.status): \(result.stderr.suffix(600))")
                return refused
            }
        }
        Issue.record("round \(round): the standby never took over")
        return refused
    }

    /// Starts a cycle on `server` and returns it once a random moment of its work has come
    /// and it is still at work. A cycle that ended first has done its work honestly; the
    /// round then drops more files and tries again, so that a fast machine still sees every
    /// disruption the round asks for. The first try picks its moment from the start, before
    /// the lease is taken as well as after; a later one from the moment the files left the
    /// inbox, which only the lease holder may take them from.
    func disruptableCycle(_ bridge: BridgeFixture, on server: URL, at now: String, day: inout SoakDay) throws -> BridgeProcess? {
        for attempt in 0..<6 {
            if attempt > 0 { try day.dropStep(into: bridge) }
            let cycle = try BridgeProcess(bridge, ["cycle"], now: now, in: server)
            if attempt == 0 {
                usleep(useconds_t(Int.random(in: 20...400, using: &day.random) * 1000))
            } else {
                while cycle.isRunning, !bridge.files(in: bridge.inbox).isEmpty { usleep(2_000) }
                usleep(useconds_t(Int.random(in: 0...max(10, 200 >> attempt), using: &day.random) * 1000))
            }
            if cycle.isRunning { return cycle }
            let status = cycle.wait()
            #expect(status == 0, "a cycle that ended before it could be disrupted exited \(status): \(cycle.errorTail)")
        }
        return nil
    }

    @Test("SIGKILL and SIGSTOP past the lease: the other server takes over; each payment once per profile, no gaps, the trail verifies")
    func smallFailover() throws {
        let bridge = try ExportProfilesEndToEndTests.threeProfiles(backend: .postgres) { config in
            config = config.replacingOccurrences(of: "seconds = 60 ", with: "seconds = \(Self.leaseSeconds) ")
        }
        let servers = try ["server-a", "server-b"].map { name in
            let folder = bridge.root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return folder
        }
        var day = SoakDay(seed: 0xFA11_0FE5)
        var counts = (kills: 0, pauses: 0, takeovers: 0, resumedRefused: 0)
        let actions = ["kill", "pause", "finish", "pause", "kill", "pause", "kill", "finish", "pause", "kill"]
        for (round, action) in actions.enumerated() {
            try day.dropStep(into: bridge)
            let now = day.advance()
            let (active, standby) = round % 2 == 0 ? (servers[0], servers[1]) : (servers[1], servers[0])
            guard action != "finish" else {
                try cycleUntilDone(bridge, on: active, at: now, round: round)
                continue
            }
            guard let cycle = try disruptableCycle(bridge, on: active, at: now, day: &day) else {
                Issue.record("round \(round): every cycle ended before it could be disrupted")
                continue
            }
            if action == "kill" {
                // The killed holder's connections are gone: the standby takes over at once.
                if cycle.kill() {
                    counts.kills += 1
                    counts.takeovers += 1
                }
                try cycleUntilDone(bridge, on: standby, at: now, round: round)
            } else {
                cycle.pause()
                counts.pauses += 1
                usleep(useconds_t((Self.leaseSeconds * 1000 + 500) * 1000))
                try cycleUntilDone(bridge, on: standby, at: now, round: round)
                counts.takeovers += 1
                let status = cycle.resumeAndWait()
                #expect(status == 0 || status == 75, "round \(round): the resumed holder exited \(status): \(cycle.errorTail)")
                if status == 75 { counts.resumedRefused += 1 }
            }
        }
        try cycleUntilDone(bridge, on: servers[0], at: "2026-11-22T09:00:00+01:00", round: actions.count)
        try cycleUntilDone(bridge, on: servers[1], at: "2026-11-22T09:20:00+01:00", round: actions.count + 1)
        #expect(counts.kills + counts.pauses >= 4, "only \(counts.kills) kills and \(counts.pauses) pauses landed")
        // The store's own count: a process killed before it took the lease was not taken over.
        let status = bridge.run(["status"], now: "2026-11-22T09:30:00+01:00").stdout
        let counted = status.firstMatch(of: /\((\d+) takeover\(s\) in all\)/).flatMap { Int($0.1) } ?? 0
        #expect(counted >= 4, "only \(counted) takeovers counted (\(counts.takeovers) expected): \(status)")
        day.expectDeliveredOnce(bridge)
    }
}
