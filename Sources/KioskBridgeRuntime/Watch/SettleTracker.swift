import KioskBridgeCore

/// For `watch`: remembers when each inbox file was first seen and whether it changed,
/// so a file is taken in once it has stayed the same for `settle_seconds` since the
/// bridge first saw it (not since its own modification time, which shares preserve).
public struct SettleTracker: Sendable {
    private var seen: [String: (entry: InboxEntry, since: Double)] = [:]

    public init() {}

    /// Updates with a fresh listing at `now` (seconds on a monotonic clock) and returns
    /// the files that have been unchanged for at least `settleSeconds`.
    public mutating func ready(_ listing: [InboxEntry], now: Double, settleSeconds: Double) -> [InboxEntry] {
        var next: [String: (entry: InboxEntry, since: Double)] = [:]
        var ready: [InboxEntry] = []
        for entry in listing {
            if let known = seen[entry.name], known.entry == entry {
                next[entry.name] = known
                if now - known.since >= settleSeconds { ready.append(entry) }
            } else {
                next[entry.name] = (entry, now)
                if settleSeconds <= 0 { ready.append(entry) }
            }
        }
        seen = next
        return ready
    }

    public mutating func forget(_ names: [String]) {
        for name in names { seen[name] = nil }
    }
}
