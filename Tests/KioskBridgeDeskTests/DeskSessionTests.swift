import Foundation
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Testing
@testable import KioskBridgeDesk

/// hosting.md: the desk's sessions and lock-outs live in the store, so `serve` may run on
/// every server behind a load balancer and a restart logs no one out.
@Suite("Desk: sessions in the store", .serialized)
struct DeskSessionTests {
    @Test("A session started on one serve works on another; it survives a restart of both; logging out ends it on both")
    func sharedSessions() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let second = try await desk.anotherServer()
        defer { second.task.cancel() }
        let client = try await desk.loggedIn()
        let other = DeskClient(port: second.port)
        other.cookie = client.cookie
        let found = try await other.get("/?q=B-000981")
        #expect(found.status == 200)
        #expect(found.body.contains("B-000981"))
        // Both servers restart (new processes, new store handles): the session is still there.
        second.task.cancel()
        let restarted = try await desk.anotherServer()
        defer { restarted.task.cancel() }
        let again = DeskClient(port: restarted.port)
        again.cookie = client.cookie
        #expect(try await again.get("/?q=B-000981").status == 200)
        // Logging out on one ends it on the other.
        let page = try await client.get("/")
        let token = try #require(page.formToken)
        #expect(try await client.post("/logout", form: [("token", token)]).status == 303)
        let after = try await again.get("/?q=B-000981")
        #expect(after.status == 303)
        #expect(after.header("Location") == "/login")
    }

    @Test("Disabling an account ends its sessions at once on every server and refuses its logins; enabling lets it in again")
    func disabledAccount() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let second = try await desk.anotherServer()
        defer { second.task.cancel() }
        let client = try await desk.loggedIn()
        let other = DeskClient(port: second.port)
        other.cookie = client.cookie
        #expect(try await other.get("/").status == 200)
        let user = try await desk.store.desk {
            try await $0.setDisabled(name: DeskFixture.staff, disabled: true, by: "test", at: DeskFixture.instant(DeskFixture.now))
        }
        #expect(user?.disabled == true)
        #expect(try await client.get("/").status == 303)
        #expect(try await other.get("/").status == 303)
        let refused = try await DeskClient(port: second.port).login(DeskFixture.staff, DeskFixture.password)
        #expect(refused.status == 401)
        #expect(refused.header("Set-Cookie") == nil)
        _ = try await desk.store.desk {
            try await $0.setDisabled(name: DeskFixture.staff, disabled: false, by: "test", at: DeskFixture.instant(DeskFixture.now))
        }
        #expect(try await DeskClient(port: desk.port).login(DeskFixture.staff, DeskFixture.password).status == 303)
        let log = try await desk.store.lookup { try await $0.trail(subject: "desk-user", id: 1) }.map(\.event)
        #expect(log.contains("disabled"))
        #expect(log.contains("enabled"))
    }

    @Test("A session ends after [desk] session_hours")
    func sessionsExpire() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let client = try await desk.loggedIn()
        let later = try await desk.anotherServer(clock: FixedClock(DeskFixture.instant(DeskFixture.now).adding(seconds: 8 * 3600 + 1)))
        defer { later.task.cancel() }
        let expired = DeskClient(port: later.port)
        expired.cookie = client.cookie
        #expect(try await expired.get("/").status == 303)
        #expect(try await client.get("/").status == 200)
    }

    @Test("A lock-out after failed logins holds on every server")
    func lockOutEverywhere() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let second = try await desk.anotherServer()
        defer { second.task.cancel() }
        for _ in 0..<5 { _ = try await desk.client().login(DeskFixture.staff, "wrong") }
        let locked = try await DeskClient(port: second.port).login(DeskFixture.staff, DeskFixture.password)
        #expect(locked.status == 429)
    }

    @Test("The store keeps a session's key only as its hash")
    func keyNotStored() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let client = try await desk.loggedIn()
        let key = try #require(client.cookie?.split(separator: "=").last.map(String.init))
        let stored = try await desk.store.desk { try await $0.session(keyHash: key, at: DeskFixture.instant(DeskFixture.now)) }
        #expect(stored == nil)
        let byHash = try await desk.store.desk { try await $0.session(keyHash: DeskSessions.hash(key), at: DeskFixture.instant(DeskFixture.now)) }
        #expect(byHash?.staff == DeskFixture.staff)
    }
}
