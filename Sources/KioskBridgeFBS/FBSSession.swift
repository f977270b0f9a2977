/// The session key one client shares across its calls.
///
/// FBS has no logout and a key can expire at any moment. Calls that find it expired at
/// the same time should not each log in: the first asks for a new key, the others wait for
/// that login and use its key. Each login is numbered, so a call that saw key 3 fail does
/// not throw away key 4 that another call has just fetched.
actor FBSSession {
    /// A key with the number of the login that fetched it. Never printed.
    struct Key: Sendable, CustomStringConvertible {
        let value: String
        let login: Int

        var description: String { "session key #\(login) (not shown)" }
    }

    typealias Login = @Sendable () async -> Result<String, FBSError>

    private var current: Key?
    private var pending: (login: Int, task: Task<Result<String, FBSError>, Never>)?
    private var logins = 0

    /// The current key, logging in if there is none.
    func key(_ login: @escaping Login) async throws(FBSError) -> Key {
        if let current { return current }
        return try await loggedIn(login)
    }

    /// A key other than `stale`, which FBS has just refused: another call's fresh one, or a new login.
    func renewed(after stale: Key, _ login: @escaping Login) async throws(FBSError) -> Key {
        if let current, current.login != stale.login { return current }
        current = nil
        return try await loggedIn(login)
    }

    private func loggedIn(_ login: @escaping Login) async throws(FBSError) -> Key {
        let attempt: (login: Int, task: Task<Result<String, FBSError>, Never>)
        if let pending {
            attempt = pending
        } else {
            logins += 1
            attempt = (logins, Task { await login() })
            pending = attempt
        }
        let result = await attempt.task.value
        if pending?.login == attempt.login {
            pending = nil
            if case .success(let value) = result { current = Key(value: value, login: attempt.login) }
        }
        return Key(value: try result.get(), login: attempt.login)
    }
}
