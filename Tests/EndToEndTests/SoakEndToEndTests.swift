import Foundation
import StoreTestSupport
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
    static let points = ["after-claim", "mid-booking", "after-booking", "after-move", "after-allocation", "after-prepare",
                         "after-temporary-file", "after-outbox-rename", "after-archive-rename", "after-publish"]

    @Test("Every point, random SIGKILLs, three profiles: each payment once per profile, sums to the øre, no gaps")
    func smallSoak() throws {
        var day = SoakDay(seed: 0x5EED_0F_C0FFEE)
        let bridge = try ExportProfilesEndToEndTests.threeProfiles()
        var kills = 0
        for step in 0..<24 {
            try day.dropStep(into: bridge)
            let now = day.advance()
            let point = Self.points[step % Self.points.count] + ":\(1 + step % 3)"
            if bridge.cycle(at: now, environment: ["KIOSKBRIDGE_CRASH_AT": point]).status == 137 { kills += 1 }
            for _ in 0..<2 {
                let cycle = try BridgeProcess(bridge, ["cycle"], now: now)
                usleep(useconds_t(Int.random(in: 5...120, using: &day.random) * 1000))
                if cycle.kill() { kills += 1 }
            }
            var status: Int32 = -1
            for _ in 0..<5 where status != 0 { status = bridge.cycle(at: now).status }
            #expect(status == 0, "the rerun after step \(step) must succeed")
        }
        #expect(bridge.cycle(at: "2026-11-22T09:00:00+01:00").status == 0)
        #expect(kills >= 30, "only \(kills) kills")
        day.expectDeliveredOnce(bridge)
    }
}

/// Kiosk files dropped a few at a time, with voids of earlier payments, and what each
/// transaction must net in every profile once all is exported.
struct SoakDay {
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

    var random: SeededRandom
    /// Transaction id → the øre it must net (0 once voided).
    private(set) var expected: [String: Int] = [:]
    private var booked: [String: [String]] = [:]
    private var sequence: [String: Int] = [:]
    private var clock = 14 * 60
    let kiosks = ["KIOSK-0001", "KIOSK-0002", "KIOSK-0003"]
    let payers = ["0101901234", "1505851237", "29000018", "0311781118", "2208924321"]

    init(seed: UInt64) { random = SeededRandom(state: seed) }

    /// Drops two kiosk files of five payments each, sometimes with a void of an earlier one.
    mutating func dropStep(into bridge: BridgeFixture) throws {
        for _ in 0..<2 {
            let kiosk = kiosks[(sequence.values.reduce(0, +)) % kiosks.count]
            let number = (sequence[kiosk] ?? 0) + 1
            sequence[kiosk] = number
            var records: [String] = []
            for index in 0..<5 {
                let id = "\(kiosk.suffix(2))-\(number)-\(index)"
                let ore = Int.random(in: 500...30_000, using: &random)
                records.append(KioskCSV.D(id: id, payer: payers.randomElement(using: &random) ?? payers[0], amount: Self.amount(ore),
                                          receipt: "B-\(id)").line)
                expected[id] = ore
                booked[kiosk, default: []].append(id)
            }
            if number > 1, Bool.random(using: &random), let victim = booked[kiosk]?.dropLast(5).randomElement(using: &random),
               let ore = expected[victim], ore > 0 {
                records.append(KioskCSV.V(id: "\(victim)-V", voidedAt: "2026-11-21T14:12:00+01:00", voids: victim,
                                          amount: Self.amount(ore)).line)
                expected[victim] = 0
            }
            try bridge.drop("\(kiosk)_\(number).csv", KioskCSV.file(kiosk: kiosk, sequence: number, records: records))
        }
    }

    /// The next cycle's time, twenty minutes on.
    mutating func advance() -> String {
        clock += 20
        return String(format: "2026-11-21T%02d:%02d:00+01:00", (clock / 60) % 24, clock % 60)
    }

    static func amount(_ ore: Int) -> String { "\(ore / 100),\(String(format: "%02d", ore % 100))" }

    /// Per profile: every transaction nets what the kiosk took, the sum agrees to the øre,
    /// sequences run 1..n, no temporary file is left, nothing waits in processing/, the
    /// inbox or rejected/, and the trail verifies.
    func expectDeliveredOnce(_ bridge: BridgeFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        for (profile, folder) in [("csv", "outbox"), ("camt054", "outbox-camt"), ("fixed", "outbox-fixed")] {
            let lines = ExportProfilesEndToEndTests.delivered(bridge, profile: profile)
            var net: [String: Int] = [:]
            for line in lines { net[line.id, default: 0] += line.ore }
            for (id, ore) in expected where (net[id] ?? 0) != ore {
                Issue.record("\(profile): \(id) nets \(net[id] ?? 0) øre, the kiosk took \(ore)", sourceLocation: sourceLocation)
            }
            #expect(Set(net.keys).isSubset(of: Set(expected.keys)), "\(profile) exported something no kiosk sent",
                    sourceLocation: sourceLocation)
            #expect(lines.map(\.ore).reduce(0, +) == expected.values.reduce(0, +), "\(profile): the sum to the øre",
                    sourceLocation: sourceLocation)
            let sequences = ExportProfilesEndToEndTests.sequences(bridge, folder: folder).sorted()
            #expect(sequences == Array(1...max(1, sequences.count)), "\(profile): sequence numbers without gaps or repeats",
                    sourceLocation: sourceLocation)
            #expect(bridge.files(in: bridge.root.appendingPathComponent(folder)).allSatisfy { !$0.hasPrefix(".") },
                    sourceLocation: sourceLocation)
        }
        #expect(bridge.files(in: bridge.processing).isEmpty, sourceLocation: sourceLocation)
        #expect(bridge.files(in: bridge.inbox).isEmpty, sourceLocation: sourceLocation)
        #expect(bridge.files(in: bridge.rejected).isEmpty, sourceLocation: sourceLocation)
        #expect(bridge.run(["audit", "verify"], json: false).status == 0, sourceLocation: sourceLocation)
    }
}
