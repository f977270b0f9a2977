import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// `status`: is the bridge healthy, and if not, what is stuck?
///
/// Operations should learn that a kiosk stopped sending, a file was refused, the debtor
/// stopped emptying its folder or the claims snapshot is old before a patron or an
/// auditor does. Each check gives a level; the worst one is the exit code (0 healthy,
/// 1 warning, 2 critical), the convention of Nagios and Icinga checks.
public struct BridgeStatus: Sendable {
    public enum Level: Int, Comparable, Sendable, CaseIterable {
        case ok = 0
        case warning = 1
        case critical = 2

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public var name: String {
            switch self {
            case .ok: "ok"
            case .warning: "warning"
            case .critical: "critical"
            }
        }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name }) else { return nil }
            self = level
        }
    }

    /// One thing looked at.
    public struct Check: Sendable, Hashable {
        public let name: String
        public let level: Level
        public let message: String
    }

    public let at: Instant
    public let checks: [Check]

    public var level: Level { checks.map(\.level).max() ?? .ok }

    /// The first line a monitoring system shows.
    public var summary: String {
        let problems = checks.filter { $0.level != .ok }
        if problems.isEmpty { return "OK: kioskbridge is healthy" }
        return "\(level.name.uppercased()): " + problems.sorted { $0.level > $1.level }.map(\.message).joined(separator: "; ")
    }

    public static func evaluate(configuration: BridgeConfiguration, store: any BridgeStore, at now: Instant) async throws -> BridgeStatus {
        var checks: [Check] = []
        let cycleSeconds = configuration.cycle.minutes * 60
        let today = CopenhagenTime.localDate(at: now)
        let deadlines = ConfirmationDeadlines(configuration: configuration, at: now)

        let facts = try await store.operations { reader in
            (cycle: try await reader.lastCycle(), unpublished: try await reader.unpublishedBatches(),
             published: try await reader.publishedFiles(since: now.adding(seconds: -30 * 86_400)),
             arrivals: try await reader.kioskArrivals(since: now.adding(seconds: -14 * 86_400)),
             gaps: try await reader.sequenceGaps(), snapshots: try await reader.snapshots(),
             files: try await reader.kioskFiles(from: CopenhagenTime.startOfDay(today), to: now.adding(seconds: 1)),
             lease: try await reader.leaseState(),
             overdue: try await reader.overdueConfirmations(exportedBefore: deadlines.warnBefore),
             critical: try await reader.overdueConfirmations(exportedBefore: deadlines.criticalBefore),
             fbsBacklog: configuration.fbsClaims == .fbs ? try await reader.fbsBacklog() : FBSBacklog.none)
        }
        let lockHeld = facts.lease.isHeld
        checks += leaseChecks(facts.lease, cycleSeconds: cycleSeconds)

        // The last cycle.
        if let cycle = facts.cycle {
            let age = now.millisecondsSinceEpoch - cycle.startedAt.millisecondsSinceEpoch
            if cycle.finishedAt == nil && !lockHeld {
                checks.append(Check(name: "last-cycle", level: .warning,
                                    message: "the cycle started \(Timestamp.format(cycle.startedAt)) did not finish (it is taken up again by the next one)"))
            } else if cycle.result == "error" {
                checks.append(Check(name: "last-cycle", level: .critical,
                                    message: "the last cycle (\(Timestamp.format(cycle.startedAt))) failed: \(Self.errors(in: cycle.summaryJSON))"))
            } else if age > 3 * cycleSeconds * 1000 {
                checks.append(Check(name: "last-cycle", level: .critical,
                                    message: "no cycle since \(Timestamp.format(cycle.startedAt)) (expected every \(configuration.cycle.minutes) minutes)"))
            } else {
                checks.append(Check(name: "last-cycle", level: .ok, message: "last cycle at \(Timestamp.format(cycle.startedAt))"))
            }
        } else {
            checks.append(Check(name: "last-cycle", level: .warning, message: "no cycle has run yet"))
        }

        // Export files committed but not written.
        if facts.unpublished.isEmpty {
            checks.append(Check(name: "exports", level: .ok, message: "every export file is written"))
        } else {
            checks.append(Check(name: "exports", level: .critical,
                                message: "\(facts.unpublished.count) export file(s) not yet written: \(facts.unpublished.map(\.fileName).joined(separator: ", "))"))
        }

        // The inbox and processing/.
        do {
            let waiting = try Inbox.list(folder: configuration.paths.inbox)
            if let oldest = waiting.map(\.modified).min() {
                let minutes = max(0, (now.millisecondsSinceEpoch - oldest / 1_000_000) / 60_000)
                let level: Level = minutes * 60 > 2 * cycleSeconds ? .warning : .ok
                checks.append(Check(name: "inbox", level: level,
                                    message: "\(waiting.count) file(s) waiting in the inbox, the oldest for \(minutes) minutes"))
            } else {
                checks.append(Check(name: "inbox", level: .ok, message: "the inbox is empty"))
            }
        } catch {
            checks.append(Check(name: "inbox", level: .critical, message: "the inbox \(configuration.paths.inbox) cannot be read"))
        }
        if let irregular = Inbox.irregularEntriesCheck(paths: configuration.paths) { checks.append(irregular) }
        let stuck = (try? Inbox.list(folder: configuration.paths.processing)) ?? []
        if !stuck.isEmpty && !lockHeld {
            checks.append(Check(name: "processing", level: .warning,
                                message: "\(stuck.count) file(s) left in processing/ by an interrupted run: \(stuck.map(\.name).joined(separator: ", "))"))
        }

        // Export files the debtor has not picked up.
        if configuration.outboxPickupCycles > 0 {
            let limit = now.adding(seconds: -configuration.outboxPickupCycles * cycleSeconds)
            let lying = facts.published.filter { $0.publishedAt < limit && FileManager.default.fileExists(atPath: $0.outboxPath) }
            if lying.isEmpty {
                checks.append(Check(name: "outbox", level: .ok, message: "the debtor picks up its files"))
            } else {
                checks.append(Check(name: "outbox", level: .warning,
                                    message: "\(lying.count) export file(s) still in the outbox after \(configuration.outboxPickupCycles) cycles: \(lying.map(\.fileName).joined(separator: ", "))"))
            }
        }

        // Kiosks gone quiet.
        for (kiosk, arrivals) in facts.arrivals.sorted(by: { $0.key < $1.key }) where arrivals.count >= 3 {
            guard let last = arrivals.last else { continue }
            let longestGap = zip(arrivals, arrivals.dropFirst()).map { $1.millisecondsSinceEpoch - $0.millisecondsSinceEpoch }.max() ?? 0
            let silence = now.millisecondsSinceEpoch - last.millisecondsSinceEpoch
            if silence > max(longestGap * 3 / 2, 3_600_000) {
                checks.append(Check(name: "kiosk-silent", level: .warning,
                                    message: "kiosk \(kiosk) has sent nothing since \(Timestamp.format(last)) (at most \(longestGap / 60_000) minutes between its files in the last two weeks)"))
            }
        }

        // Missing kiosk files.
        for gap in facts.gaps {
            let missing = gap.missing.count == 1 ? "file \(gap.missing.lowerBound)" : "files \(gap.missing.lowerBound)-\(gap.missing.upperBound)"
            checks.append(Check(name: "sequence-gap", level: .warning, message: "kiosk \(gap.kioskID): \(missing) never arrived"))
        }

        // The claims snapshot.
        if let newest = facts.snapshots.max(by: { $0.asOf < $1.asOf }) {
            let hours = (now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch) / 3_600_000
            let stale = now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch > configuration.staleAfterHours * 3_600_000
            checks.append(Check(name: "claims-snapshot", level: stale ? .warning : .ok,
                                message: "the newest claims snapshot (\(newest.source.rawValue)) is \(hours) hours old" + (stale ? ", more than \(configuration.staleAfterHours)" : "")))
        } else {
            checks.append(Check(name: "claims-snapshot", level: .warning, message: "no claims snapshot is loaded"))
        }

        checks.append(confirmationCheck(overdue: facts.overdue, critical: facts.critical, deadlines: deadlines))
        if configuration.fbsClaims == .fbs, let settings = configuration.fbs {
            checks.append(fbsCheck(facts.fbsBacklog, settings: settings, cycleSeconds: cycleSeconds, at: now))
        }

        // Files refused today.
        let rejected = facts.files.filter { $0.verdict == .rejected }
        if !rejected.isEmpty {
            checks.append(Check(name: "rejected-files", level: .warning,
                                message: "\(rejected.count) kiosk file(s) rejected today: \(rejected.map(\.name).joined(separator: ", "))"))
        }
        return BridgeStatus(at: now, checks: checks)
    }

    /// Who holds the lease, and whether a takeover happened lately. The lease's own times are
    /// the database's, so they are compared with the database's clock.
    static func leaseChecks(_ lease: LeaseState, cycleSeconds: Int) -> [Check] {
        var checks: [Check] = []
        let standbys = lease.standbys.isEmpty ? "no standby seen in the last hour"
            : "standby: " + lease.standbys.map { "\($0.host) pid \($0.pid) (seen \(Timestamp.format($0.seenAt)))" }.joined(separator: ", ")
        if let holder = lease.current, lease.isHeld {
            checks.append(Check(name: "lease", level: .ok, message:
                "the lease is held by \(holder.host) pid \(holder.pid) since \(Timestamp.format(holder.since)), token \(holder.token); \(standbys)"))
        } else if let free = lease.freeSince {
            let idle = lease.now.millisecondsSinceEpoch - free.millisecondsSinceEpoch
            checks.append(Check(name: "lease", level: idle > cycleSeconds * 1000 ? .critical : .ok, message:
                "no bridge has held the lease since \(Timestamp.format(free))" + (idle > cycleSeconds * 1000 ? ", longer than a cycle" : "") + "; \(standbys)"))
        } else {
            checks.append(Check(name: "lease", level: .warning, message: "no bridge has held the lease yet"))
        }
        if let takeover = lease.lastTakeover, lease.now.millisecondsSinceEpoch - takeover.millisecondsSinceEpoch <= cycleSeconds * 1000 {
            checks.append(Check(name: "lease-takeover", level: .warning, message:
                "the lease was taken over at \(Timestamp.format(takeover)) (\(lease.takeovers) takeover(s) in all): the bridge that held it had ended or stopped renewing"))
        }
        return checks
    }

    static func errors(in summaryJSON: String?) -> String {
        guard let data = summaryJSON?.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let errors = object["errors"] as? [String], !errors.isEmpty else { return "see the log" }
        return errors.joined(separator: "; ")
    }

    public var json: JSONValue {
        .object([
            ("status", .string(level.name)),
            ("exit_code", .int(level.rawValue)),
            ("at", .string(Timestamp.format(at))),
            ("summary", .string(summary)),
            ("checks", .array(checks.map { check in
                .object([("name", .string(check.name)), ("level", .string(check.level.name)), ("message", .string(check.message))])
            })),
        ])
    }

    public var text: String {
        summary + "\n" + checks.map { "  \($0.level.name.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \($0.name): \($0.message)" }
            .joined(separator: "\n") + "\n"
    }
}
