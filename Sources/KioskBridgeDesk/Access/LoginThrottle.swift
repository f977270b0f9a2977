import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// Slows down and then locks out repeated failed logins, per account name and per
/// address, so that a password cannot be guessed by trying.
///
/// After `limit` failures within `window`, further attempts for that name or from that
/// address are refused until the window has passed since the last failure, whatever the
/// password. A success clears the name's count. The counts are in the store, so a lock-out
/// holds on every `serve` process and across restarts.
struct LoginThrottle: Sendable {
    struct Policy: Sendable {
        var limit = 5
        var window: Duration = .seconds(15 * 60)
        /// Added to every failed attempt's answer.
        var delay: Duration = .milliseconds(500)
    }

    let store: any BridgeStore
    let clock: any BridgeClock
    let policy: Policy

    private func keys(name: String, address: String) -> [String] {
        ["name:" + name.lowercased(), "address:" + address]
    }

    private var windowStart: Instant {
        clock.now().adding(seconds: -Int(policy.window.components.seconds))
    }

    /// True when this name or address is locked out now.
    func isLocked(name: String, address: String) async throws -> Bool {
        let keys = keys(name: name, address: address)
        let since = windowStart
        let limit = policy.limit
        return try await store.desk { session in
            for key in keys where try await session.loginFailures(key: key, since: since) >= limit { return true }
            return false
        }
    }

    func failed(name: String, address: String) async throws {
        let keys = keys(name: name, address: address)
        let now = clock.now()
        let since = windowStart
        try await store.desk { try await $0.recordLoginFailure(keys: keys, at: now, windowStart: since) }
        try? await Task.sleep(for: policy.delay)
    }

    func succeeded(name: String) async throws {
        let key = "name:" + name.lowercased()
        try await store.desk { try await $0.clearLoginFailures(key: key) }
    }
}
