import Crypto
import Foundation
import Hummingbird
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The desk's sessions, kept in the store: every `serve` process knows every session, a
/// restart logs no one out, and logging out (or disabling the account) ends a session
/// everywhere at once.
///
/// The browser holds a random key in a cookie; the store holds only the key's SHA-256,
/// so a copy of the database logs no one in. Sessions expire after `[desk] session_hours`.
struct DeskSessions: Sendable {
    static let cookieName = "kioskbridge_desk"

    let store: any BridgeStore
    let clock: any BridgeClock
    let lifetime: Duration
    let secureCookies: Bool

    /// The session a request's cookie names, if it is still valid.
    func session(of request: Request) async throws -> DeskSessionData? {
        guard let key = request.cookies[Self.cookieName]?.value, Self.isWellFormed(key) else { return nil }
        let hash = Self.hash(key)
        let now = clock.now()
        guard let stored = try await store.desk({ try await $0.session(keyHash: hash, at: now) }) else { return nil }
        return DeskSessionData(staff: stored.staff, formToken: stored.formToken, keyHash: hash, role: stored.role)
    }

    /// Starts a session for `staff`; the cookie to send with the answer.
    func start(staff: String) async throws -> Cookie {
        let key = Self.randomHex()
        let now = clock.now()
        let seconds = Int(lifetime.components.seconds)
        try await store.desk { session in
            try await session.createSession(StoredDeskSession(keyHash: Self.hash(key), staff: staff, formToken: Self.randomHex(),
                                                              createdAt: now, expiresAt: now.adding(seconds: seconds)))
        }
        return cookie(value: key, maxAge: seconds)
    }

    /// Ends the session everywhere; the cookie that clears it in the browser.
    func end(_ session: DeskSessionData) async throws -> Cookie {
        try await store.desk { try await $0.endSession(keyHash: session.keyHash) }
        return cookie(value: "", maxAge: 0)
    }

    private func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.cookieName, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A key is 64 lowercase hex digits; anything else is not looked up.
    static func isWellFormed(_ key: String) -> Bool {
        key.utf8.count == 64 && key.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }

    /// 32 random bytes, hex.
    static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Puts the request's session (from the store) into its context.
struct DeskSessionMiddleware: RouterMiddleware {
    let sessions: DeskSessions

    func handle(_ request: Request, context: DeskRequestContext,
                next: (Request, DeskRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.session = try await sessions.session(of: request)
        return try await next(request, context)
    }
}
