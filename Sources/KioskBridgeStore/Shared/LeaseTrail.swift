/// What the lease's trail rows and refusals say: the same words on every backend.
public enum LeaseTrail {
    public static func taken(_ candidate: LeaseCandidate, token: Int64, from previous: Lease?, takeover: Bool) -> String {
        let who = "\(candidate.host) pid \(candidate.pid)"
        guard let previous, takeover else { return "lease taken by \(who) with token \(token)" }
        return "lease taken over by \(who) with token \(token) from \(previous.host) pid \(previous.pid) (token \(previous.token)), which had stopped without giving it up"
    }

    public static func released(_ lease: Lease) -> String {
        "lease given up by \(lease.host) pid \(lease.pid) (token \(lease.token))"
    }

    public static func fenced(token: Int64, current: Lease?) -> String {
        guard let current else { return "the write carries lease token \(token), but no bridge holds the lease" }
        return "the write carries lease token \(token), but the lease is held with token \(current.token) by \(current.host) pid \(current.pid); nothing was written"
    }
}
