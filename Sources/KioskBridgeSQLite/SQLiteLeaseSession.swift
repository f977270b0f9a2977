import Foundation
import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// The lease on SQLite. The lock file decides who holds it (one machine, one writer): a
/// candidate that gets the lock takes the lease at once, since the lock's release proves
/// the last holder has stopped. The row keeps the fencing token and, for `status`, the
/// holder and the standbys. Its times are the machine's clock, never `--now`.
final class SQLiteLeaseSession: LeaseSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let lock: SQLiteLeaseLock
    let trail = SQLiteTrail()

    init(_ connection: ConfinedConnection, lock: SQLiteLeaseLock) {
        self.connection = connection
        self.lock = lock
    }

    static var clock: Instant { Instant(millisecondsSinceEpoch: Int(Date().timeIntervalSince1970 * 1000)) }

    static func lease(_ row: Row) -> Lease {
        Lease(token: row["token"], holder: row["holder"], host: row["host"], pid: row["pid"], since: Instant(row: row["since"]),
              expires: Instant(row: row["expires"]))
    }

    func acquire(_ candidate: LeaseCandidate, seconds: Int) async throws -> Lease? {
        let now = Self.clock
        guard try lock.take() else {
            try await connection.run { db in try Self.noteStandby(db, candidate, at: now) }
            return nil
        }
        return try await connection.run { db in
            let expires = now.adding(seconds: seconds)
            let current = try Row.fetchOne(db, sql: "SELECT * FROM lease WHERE id = 1")
            if let current, (current["holder"] as String) == candidate.holder, (current["released_at"] as Int?) == nil {
                try db.execute(sql: "UPDATE lease SET expires = ? WHERE id = 1", arguments: [expires.millisecondsSinceEpoch])
                return Lease(token: current["token"], holder: candidate.holder, host: candidate.host, pid: candidate.pid,
                             since: Instant(row: current["since"]), expires: expires)
            }
            let token: Int64 = (current?["token"] as Int64? ?? 0) + 1
            // The last holder stopped without giving the lease up: this is a takeover.
            let takeover = current != nil && (current?["released_at"] as Int?) == nil
            try db.execute(sql: """
                INSERT INTO lease (id, token, holder, host, pid, since, expires, released_at, takeovers, last_takeover)
                VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)
                ON CONFLICT (id) DO UPDATE SET token = ?1, holder = ?2, host = ?3, pid = ?4, since = ?5, expires = ?6, released_at = NULL,
                    takeovers = takeovers + ?7, last_takeover = COALESCE(?8, last_takeover)
                """, arguments: [token, candidate.holder, candidate.host, candidate.pid, now.millisecondsSinceEpoch,
                                 expires.millisecondsSinceEpoch, takeover ? 1 : 0, takeover ? now.millisecondsSinceEpoch : nil])
            try db.execute(sql: "DELETE FROM lease_standby WHERE holder = ?", arguments: [candidate.holder])
            self.trail.append(at: now, "lease", token, takeover ? "taken-over" : "taken",
                              cause: LeaseTrail.taken(candidate, token: token, from: current.map(Self.lease), takeover: takeover))
            return Lease(token: token, holder: candidate.holder, host: candidate.host, pid: candidate.pid, since: now, expires: expires)
        }
    }

    private static func noteStandby(_ db: Database, _ candidate: LeaseCandidate, at now: Instant) throws {
        try db.execute(sql: """
            INSERT INTO lease_standby (holder, host, pid, seen_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (holder) DO UPDATE SET seen_at = excluded.seen_at
            """, arguments: [candidate.holder, candidate.host, candidate.pid, now.millisecondsSinceEpoch])
        try db.execute(sql: "DELETE FROM lease_standby WHERE seen_at < ?", arguments: [now.adding(seconds: -3600).millisecondsSinceEpoch])
    }

    func release(_ lease: Lease) async throws {
        let now = Self.clock
        try await connection.run { db in
            try db.execute(sql: "UPDATE lease SET released_at = ?, expires = MIN(expires, ?) WHERE id = 1 AND token = ?",
                           arguments: [now.millisecondsSinceEpoch, now.millisecondsSinceEpoch, lease.token])
            if db.changesCount > 0 {
                self.trail.append(at: now, "lease", lease.token, "released", cause: LeaseTrail.released(lease))
            }
        }
        lock.release()
    }

    /// Refuses the transaction unless `token` is still the lease's.
    static func checkFence(_ db: Database, token: Int64) throws {
        let current = try Row.fetchOne(db, sql: "SELECT token, holder, host, pid FROM lease WHERE id = 1")
        guard let current, (current["token"] as Int64) == token else {
            throw StoreError(.fenced, LeaseTrail.fenced(token: token, current: current.map {
                Lease(token: $0["token"], holder: $0["holder"], host: $0["host"], pid: $0["pid"], since: Instant(millisecondsSinceEpoch: 0),
                      expires: Instant(millisecondsSinceEpoch: 0))
            }), backend: SQLiteBridgeStore.backend)
        }
    }
}
