import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The crash soak in a form small enough for every test run: cycles over three kiosks'
/// files with three export profiles, killed at every crash point and by SIGKILL at
/// random moments, then checked against what the kiosks sent. `scripts/crash-soak` is
/// the large form (hundreds of kills over generated data).
@Suite("Crash soak (small): killed over and over, nothing lost, nothing twice", .serialized)
struct SoakEndToEndTests {
    /// A seeded generator, so a failing run can be repeated exactly.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static let points = ["after-claim", "mid-booking", "after-booking", "after-move", "after-allocation", "after-prepare",
                         "after-temporary-file", "after-outbox-rename", "after-archive-rename", "after-publish"]

    /// Starts `cycle` and kills it with SIGKILL after `milliseconds`; true when it was still running.
    static func cycleKilled(_ bridge: BridgeFixture, at now: String, after milliseconds: Int) throws -> Bool {
        let process = Process()
        process.executableURL = BridgeFixture.executable
        process.arguments = ["cycle", "--config", bridge.config, "--now", now]
        var environment = ProcessInfo.processInfo.environment
        environment["KIOSKBRIDGE_CONFIG"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(useconds_t(milliseconds * 1000))
        let running = process.isRunning
        if running { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return running && process.terminationReason == .uncaughtSignal
    }

    @Test("Every point, random SIGKILLs, three profiles: each payment once per profile, sums to the øre, no gaps")
    func smallSoak() throws {
        var random = SeededRandom(state: 0x5EED_0F_C0FFEE)
        let bridge = try ExportProfilesEndToEndTests.threeProfiles()
        var expected: [String: Int] = [:]
        var booked: [String: [String]] = [:]
        var sequence: [String: Int] = [:]
        var kills = 0
        let kiosks = ["KIOSK-0001", "KIOSK-0002", "KIOSK-0003"]
        let payers = ["0101901234", "1505851237", "29000018", "0311781118", "2208924321"]
        var clock = 14 * 60

        for step in 0..<24 {
            for drop in 0..<2 {
                let kiosk = kiosks[(step * 2 + drop) % kiosks.count]
                let number = (sequence[kiosk] ?? 0) + 1
                sequence[kiosk] = number
                var records: [String] = []
                for index in 0..<5 {
                    let id = "\(kiosk.suffix(2))-\(number)-\(index)"
                    let ore = Int.random(in: 500...30_000, using: &random)
                    let amount = "\(ore / 100),\(String(format: "%02d", ore % 100))"
                    records.append(KioskCSV.D(id: id, payer: payers.randomElement(using: &random) ?? payers[0], amount: amount,
                                              receipt: "B-\(id)").line)
                    expected[id] = ore
                    booked[kiosk, default: []].append(id)
                }
                if number > 1, Bool.random(using: &random), let victim = booked[kiosk]?.dropLast(5).randomElement(using: &random),
                   let ore = expected[victim], ore > 0 {
                    records.append(KioskCSV.V(id: "\(victim)-V", voidedAt: "2026-11-21T14:12:00+01:00", voids: victim,
                                              amount: "\(ore / 100),\(String(format: "%02d", ore % 100))").line)
                    expected[victim] = 0
                }
                try bridge.drop("\(kiosk)_\(number).csv", KioskCSV.file(kiosk: kiosk, sequence: number, records: records))
            }
            clock += 20
            let now = String(format: "2026-11-21T%02d:%02d:00+01:00", (clock / 60) % 24, clock % 60)
            let point = Self.points[step % Self.points.count] + ":\(1 + step % 3)"
            if bridge.cycle(at: now, environment: ["KIOSKBRIDGE_CRASH_AT": point]).status == 137 { kills += 1 }
            for _ in 0..<2 where try Self.cycleKilled(bridge, at: now, after: Int.random(in: 5...120, using: &random)) { kills += 1 }
            var status: Int32 = -1
            for _ in 0..<5 where status != 0 { status = bridge.cycle(at: now).status }
            #expect(status == 0, "the rerun after step \(step) must succeed")
        }
        #expect(bridge.cycle(at: "2026-11-22T09:00:00+01:00").status == 0)
        #expect(kills >= 30, "only \(kills) kills")

        for (profile, folder) in [("csv", "outbox"), ("camt054", "outbox-camt"), ("fixed", "outbox-fixed")] {
            let lines = ExportProfilesEndToEndTests.delivered(bridge, profile: profile)
            var net: [String: Int] = [:]
            for line in lines { net[line.id, default: 0] += line.ore }
            for (id, ore) in expected {
                #expect((net[id] ?? 0) == ore, "\(profile): \(id) nets \(net[id] ?? 0) øre, the kiosk took \(ore)")
            }
            #expect(Set(net.keys).isSubset(of: Set(expected.keys)), "\(profile) exported something no kiosk sent")
            #expect(lines.map(\.ore).reduce(0, +) == expected.values.reduce(0, +), "\(profile): the sum to the øre")
            let sequences = ExportProfilesEndToEndTests.sequences(bridge, folder: folder).sorted()
            #expect(sequences == Array(1...max(1, sequences.count)), "\(profile): sequence numbers without gaps or repeats")
            #expect(bridge.files(in: bridge.root.appendingPathComponent(folder)).allSatisfy { !$0.hasPrefix(".") })
        }
        #expect(bridge.files(in: bridge.processing).isEmpty)
        #expect(bridge.files(in: bridge.inbox).isEmpty)
        #expect(bridge.files(in: bridge.rejected).isEmpty)
        #expect(bridge.run(["audit", "verify"], json: false).status == 0)
    }
}
