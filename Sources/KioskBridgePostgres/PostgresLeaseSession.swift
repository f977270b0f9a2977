import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// The lease on PostgreSQL: a row with an expiry, on the server's clock, so that bridges on
/// servers whose clocks disagree agree on who holds it. Candidates are taken one at a time
/// (a transaction-scoped advisory lock); a fenced transaction holds the row `FOR SHARE`
/// from its check to its commit, so no takeover can commit in between.
///
/// A holder whose process has ended (no connection left under the `application_name` the
/// lease recorded, its ``PostgresConnections/presence``) is taken over at once, as on
/// SQLite, where the lock dies with the process; one that is alive but silent (paused,
/// cut off) only once its lease has expired. Taking over early is always safe: fencing
/// refuses every write of the old holder, should it be alive after all. Behind a pooler
/// (`[store] pooler`) connections say nothing of processes, and no presence is recorded.
final class PostgresLeaseSession: LeaseSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    /// The server's clock, in milliseconds.
    static func now(_ transaction: PostgresTransaction) async throws -> Instant {
        Instant(millisecondsSinceEpoch: try await transaction.row("""
            SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT AS now
            """)?.int("now") ?? 0)
    }

    static func lease(_ row: PostgresStoredRow) throws -> Lease {
        Lease(token: try row.int64("token"), holder: try row.text("holder"), host: try row.text("host"), pid: Int32(try row.int("pid")),
              since: Instant(millisecondsSinceEpoch: try row.int("since")), expires: Instant(millisecondsSinceEpoch: try row.int("expires")))
    }

    func acquire(_ candidate: LeaseCandidate, seconds: Int) async throws -> Lease? {
        try await transaction.execute("SELECT pg_advisory_xact_lock(hashtext(\("kioskbridge.lease." + transaction.settings.schema))::bigint)")
        let now = try await Self.now(transaction)
        let expires = now.adding(seconds: seconds)
        let row = try await transaction.row("SELECT * FROM §lease WHERE id = 1 FOR UPDATE")
        let current = try row.map(Self.lease)
        let released = try row?.optionalInt("released_at")
        if let current, current.holder == candidate.holder, released == nil {
            try await transaction.execute("UPDATE §lease SET expires = \(expires.millisecondsSinceEpoch) WHERE id = 1")
            return Lease(token: current.token, holder: candidate.holder, host: candidate.host, pid: candidate.pid, since: current.since,
                         expires: expires)
        }
        if let current, released == nil, current.expires > now, try await isPresent(try row?.optionalText("presence")) {
            try await noteStandby(candidate, at: now)
            return nil
        }
        let token = (current?.token ?? 0) + 1
        // The last holder stopped without giving the lease up: this is a takeover.
        let takeover = current != nil && released == nil
        try await transaction.execute("""
            INSERT INTO §lease AS l (id, token, holder, host, pid, since, expires, released_at, takeovers, last_takeover, presence)
            VALUES (1, \(token), \(candidate.holder), \(candidate.host), \(Int(candidate.pid)), \(now.millisecondsSinceEpoch),
                    \(expires.millisecondsSinceEpoch), NULL, \(takeover ? 1 : 0), \(takeover ? now.millisecondsSinceEpoch : nil),
                    \(unescaped: transaction.settings.pooler ? "NULL" : "current_setting('application_name')"))
            ON CONFLICT (id) DO UPDATE SET token = excluded.token, holder = excluded.holder, host = excluded.host, pid = excluded.pid,
                since = excluded.since, expires = excluded.expires, released_at = NULL, takeovers = l.takeovers + excluded.takeovers,
                last_takeover = COALESCE(excluded.last_takeover, l.last_takeover), presence = excluded.presence
            """)
        try await transaction.execute("DELETE FROM §lease_standby WHERE holder = \(candidate.holder)")
        trail.append(at: now, "lease", token, takeover ? "taken-over" : "taken",
                     cause: LeaseTrail.taken(candidate, token: token, from: current, takeover: takeover))
        return Lease(token: token, holder: candidate.holder, host: candidate.host, pid: candidate.pid, since: now, expires: expires)
    }

    /// Whether the holder that recorded `presence` still has a connection to the server.
    /// Without a record (a lease taken before it was kept) the holder counts as present.
    private func isPresent(_ presence: String?) async throws -> Bool {
        guard let presence, !presence.isEmpty else { return true }
        return try await transaction.row("SELECT 1 AS found FROM pg_stat_activity WHERE application_name = \(presence) LIMIT 1") != nil
    }

    private func noteStandby(_ candidate: LeaseCandidate, at now: Instant) async throws {
        try await transaction.execute("""
            INSERT INTO §lease_standby (holder, host, pid, seen_at) VALUES (\(candidate.holder), \(candidate.host), \(Int(candidate.pid)),
                                                                          \(now.millisecondsSinceEpoch))
            ON CONFLICT (holder) DO UPDATE SET seen_at = excluded.seen_at
            """)
        try await transaction.execute("DELETE FROM §lease_standby WHERE seen_at < \(now.adding(seconds: -3600).millisecondsSinceEpoch)")
    }

    func release(_ lease: Lease) async throws {
        let now = try await Self.now(transaction)
        let released = try await transaction.rows("""
            UPDATE §lease SET released_at = \(now.millisecondsSinceEpoch), expires = LEAST(expires, \(now.millisecondsSinceEpoch))
            WHERE id = 1 AND token = \(lease.token) RETURNING token
            """)
        if !released.isEmpty {
            trail.append(at: now, "lease", lease.token, "released", cause: LeaseTrail.released(lease))
        }
    }

    /// Refuses the transaction unless `token` is still the lease's, and keeps the lease row
    /// from changing until the transaction ends.
    static func checkFence(_ transaction: PostgresTransaction, token: Int64) async throws {
        let current = try await transaction.row("SELECT * FROM §lease WHERE id = 1 FOR SHARE").map(lease)
        guard let current, current.token == token else {
            throw StoreError(.fenced, LeaseTrail.fenced(token: token, current: current), backend: PostgresBridgeStore.backend)
        }
    }

    /// Who holds the lease, for `status`.
    static func state(_ transaction: PostgresTransaction) async throws -> LeaseState {
        let now = try await now(transaction)
        let row = try await transaction.row("SELECT * FROM §lease WHERE id = 1")
        let current = try row.map(lease)
        let released = try row?.optionalInt("released_at")
        let standbys = try await transaction.rows("""
            SELECT holder, host, pid, seen_at FROM §lease_standby WHERE seen_at >= \(now.adding(seconds: -3600).millisecondsSinceEpoch)
            ORDER BY seen_at DESC, holder
            """).map { row in
            LeaseStandby(holder: try row.text("holder"), host: try row.text("host"), pid: Int32(try row.int("pid")),
                         seenAt: Instant(millisecondsSinceEpoch: try row.int("seen_at")))
        }
        let held = current != nil && released == nil && (current?.expires ?? now) > now
        let freeSince = held ? nil : (released.map { Instant(millisecondsSinceEpoch: $0) } ?? current.map { min($0.expires, now) })
        return LeaseState(current: current, isHeld: held, now: now, freeSince: freeSince, takeovers: try row?.int("takeovers") ?? 0,
                          lastTakeover: try row?.optionalInt("last_takeover").map { Instant(millisecondsSinceEpoch: $0) },
                          standbys: standbys)
    }
}
