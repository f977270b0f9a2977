import Foundation

/// Slows down and then locks out repeated failed logins, per account name and per
/// address, so that a password cannot be guessed by trying.
///
/// After `limit` failures within `window`, further attempts for that name or from that
/// address are refused until the window has passed since the last failure, whatever the
/// password. A success clears the name's count.
actor LoginThrottle {
    struct Policy: Sendable {
        var limit = 5
        var window: Duration = .seconds(15 * 60)
        /// Added to every failed attempt's answer.
        var delay: Duration = .milliseconds(500)
    }

    private struct Failures {
        var count = 0
        var last = ContinuousClock.now
    }

    let policy: Policy
    private var byKey: [String: Failures] = [:]

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    private func keys(name: String, address: String) -> [String] {
        ["name:" + name.lowercased(), "address:" + address]
    }

    /// True when this name or address is locked out now.
    func isLocked(name: String, address: String) -> Bool {
        let now = ContinuousClock.now
        return keys(name: name, address: address).contains { key in
            guard let failures = byKey[key] else { return false }
            if now - failures.last > policy.window {
                byKey[key] = nil
                return false
            }
            return failures.count >= policy.limit
        }
    }

    func failed(name: String, address: String) async {
        let now = ContinuousClock.now
        for key in keys(name: name, address: address) {
            var failures = byKey[key] ?? Failures()
            if now - failures.last > policy.window { failures.count = 0 }
            failures.count += 1
            failures.last = now
            byKey[key] = failures
        }
        try? await Task.sleep(for: policy.delay)
    }

    func succeeded(name: String) {
        byKey["name:" + name.lowercased()] = nil
    }
}
