import Foundation
import KioskBridgeCore
import KioskBridgeStore
import Testing
@testable import KioskBridgeDesk

/// The desk's accounts page (`/brugere`), over real HTTP: the `admin` role manages roles
/// and disables accounts; nobody else sees it, and an administrator cannot lock themself out.
@Suite("The desk's accounts", .serialized)
struct DeskAccountsTests {
    static let admin = "eva"
    static let password = "admin-kode-123456"

    static func adminDesk() async throws -> (desk: DeskFixture, client: DeskClient, token: String) {
        let desk = try await DeskFixture.start()
        let now = DeskFixture.instant(DeskFixture.now)
        try await desk.store.desk { session in
            _ = try await session.saveUser(name: admin, passwordHash: DeskPasswords.hash(password, cost: 4), at: now)
            _ = try await session.setRole(name: admin, role: .admin, by: "test", at: now)
        }
        let client = DeskClient(port: desk.port)
        try await client.login(admin, password)
        let page = try await client.get("/brugere")
        #expect(page.status == 200)
        return (desk, client, page.formToken ?? "")
    }

    @Test("adminManagesRoles: an administrator gives an account the till role and disables it, in the trail with their name; a lookup account may not open the page")
    func adminManagesRoles() async throws {
        let (desk, client, token) = try await Self.adminDesk()
        let changed = try await client.post("/brugere", form: [("token", token), ("name", DeskFixture.staff), ("action", "role"), ("role", "till")])
        #expect(changed.status == 200)
        #expect(changed.body.contains("anne: rolle till"))
        #expect(try await desk.store.desk { try await $0.user(named: DeskFixture.staff) }?.role == .till)
        let disabled = try await client.post("/brugere", form: [("token", token), ("name", DeskFixture.staff), ("action", "disable")])
        #expect(disabled.body.contains("spærret"))
        let user = try #require(try await desk.store.desk { try await $0.user(named: DeskFixture.staff) })
        #expect(user.disabled)
        let trail = try await desk.store.lookup { try await $0.trail(subject: "desk-user", id: user.id) }
        #expect(trail.contains { $0.event == "role-changed" && $0.cause.contains("by eva (desk)") })
        #expect(trail.contains { $0.event == "disabled" && $0.cause.contains("eva (desk)") })

        let lookup = DeskClient(port: desk.port)
        _ = try await desk.store.desk { try await $0.setDisabled(name: DeskFixture.staff, disabled: false, by: "test", at: DeskFixture.instant(DeskFixture.now)) }
        _ = try await desk.store.desk { try await $0.setRole(name: DeskFixture.staff, role: .lookup, by: "test", at: DeskFixture.instant(DeskFixture.now)) }
        try await lookup.login(DeskFixture.staff, DeskFixture.password)
        #expect(try await lookup.get("/brugere").status == 403)
        let lookupToken = try #require(try await lookup.get("/").formToken)
        #expect(try await lookup.post("/brugere", form: [("token", lookupToken), ("name", DeskFixture.staff), ("action", "role"), ("role", "admin")]).status == 403)
        #expect(try await desk.store.desk { try await $0.user(named: DeskFixture.staff) }?.role == .lookup)
    }

    @Test("adminCannotLockThemselfOut: an administrator can neither disable their own account nor drop their own role")
    func adminCannotLockThemselfOut() async throws {
        let (desk, client, token) = try await Self.adminDesk()
        let disable = try await client.post("/brugere", form: [("token", token), ("name", Self.admin), ("action", "disable")])
        #expect(disable.status == 400)
        let demote = try await client.post("/brugere", form: [("token", token), ("name", Self.admin), ("action", "role"), ("role", "lookup")])
        #expect(demote.status == 400)
        let admin = try await desk.store.desk { try await $0.user(named: Self.admin) }
        #expect(admin?.role == .admin && admin?.disabled == false)
    }
}
