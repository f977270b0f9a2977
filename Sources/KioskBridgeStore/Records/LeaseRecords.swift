public import KioskBridgeCore

/// A bridge process asking for the municipality's lease.
public struct LeaseCandidate: Sendable, Hashable {
    /// Unique per process run: a process that restarts is a new holder.
    public let holder: String
    public let host: String
    public let pid: Int32

    public init(holder: String, host: String, pid: Int32) {
        self.holder = holder
        self.host = host
        self.pid = pid
    }
}

/// The lease: which bridge may take files in, allocate and publish, until when.
///
/// Its times are the database's (on PostgreSQL the server's clock, never a bridge's own or
/// `--now`), so two servers whose clocks disagree still agree on who holds it.
public struct Lease: Sendable, Hashable {
    /// The fencing token: larger for every new holder than for every earlier one. Every
    /// booking, allocation and publication is checked against it in its own transaction.
    public let token: Int64
    public let holder: String
    public let host: String
    public let pid: Int32
    /// When this holder took the lease.
    public let since: Instant
    /// When it lapses unless renewed.
    public let expires: Instant

    public init(token: Int64, holder: String, host: String, pid: Int32, since: Instant, expires: Instant) {
        self.token = token
        self.holder = holder
        self.host = host
        self.pid = pid
        self.since = since
        self.expires = expires
    }
}

/// A bridge that asked for the lease while another held it.
public struct LeaseStandby: Sendable, Hashable {
    public let holder: String
    public let host: String
    public let pid: Int32
    public let seenAt: Instant

    public init(holder: String, host: String, pid: Int32, seenAt: Instant) {
        self.holder = holder
        self.host = host
        self.pid = pid
        self.seenAt = seenAt
    }
}

/// Who holds the lease now, as `status` shows it.
public struct LeaseState: Sendable, Hashable {
    /// The last holder; nil when no bridge ever held the lease.
    public let current: Lease?
    /// Whether a bridge holds it now (on SQLite: the lock beside the database is held).
    public let isHeld: Bool
    /// The database's clock when this was read.
    public let now: Instant
    /// When the last holder let go of it (released, or let it lapse), while no one holds it.
    public let freeSince: Instant?
    /// How many times a standby took the lease over from a holder that had ended or stopped renewing,
    /// and when it last happened.
    public let takeovers: Int
    public let lastTakeover: Instant?
    /// Standbys seen in the last hour, newest first.
    public let standbys: [LeaseStandby]

    public init(current: Lease?, isHeld: Bool, now: Instant, freeSince: Instant?, takeovers: Int, lastTakeover: Instant?,
                standbys: [LeaseStandby]) {
        self.current = current
        self.isHeld = isHeld
        self.now = now
        self.freeSince = freeSince
        self.takeovers = takeovers
        self.lastTakeover = lastTakeover
        self.standbys = standbys
    }
}
