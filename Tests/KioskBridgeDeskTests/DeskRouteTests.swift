import Foundation
import Testing
import KioskBridgeCore
@testable import KioskBridgeDesk
import KioskBridgeRuntime
import Logging

/// The desk's web page (issue: the library desk's receipt lookup), through real HTTP.
@Suite("Desk: login, lookup, reveal, day view", .serialized)
struct DeskRouteTests {
    @Test("Nothing but the login page and its stylesheet answers without a session")
    func onlyLoginWithoutSession() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let client = desk.client()
        for path in ["/", "/?q=B-000981", "/day", "/day?date=2026-11-21"] {
            let response = try await client.get(path)
            #expect(response.status == 303, "\(path)")
            #expect(response.header("Location") == "/login", "\(path)")
            #expect(!response.body.contains("B-000981"))
        }
        for path in ["/reveal", "/logout"] {
            #expect(try await client.post(path, form: [("q", "B-000981"), ("key", "payment:4")]).status == 303, "\(path)")
        }
        #expect(try await client.get("/login").status == 200)
        #expect(try await client.get("/desk.css").status == 200)
        #expect(try await client.get("/metrics").status != 200)
    }

    @Test("Login: a wrong password is refused; the right one gives an HttpOnly, SameSite=Strict session; logout ends it")
    func loginAndLogout() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let wrong = try await desk.client().login(DeskFixture.staff, "not the password")
        #expect(wrong.status == 401)
        #expect(wrong.body.contains("Forkert brugernavn eller adgangskode"))
        #expect(wrong.header("Set-Cookie") == nil)

        let client = desk.client()
        let right = try await client.login(DeskFixture.staff, DeskFixture.password)
        #expect(right.status == 303)
        let cookie = try #require(right.header("Set-Cookie"))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"), "plain HTTP on 127.0.0.1; [desk] secure_cookies turns it on behind TLS")
        let page = try await client.get("/")
        #expect(page.status == 200)
        #expect(page.body.contains("Logget ind som anne"))

        let token = try #require(page.formToken)
        #expect(try await client.post("/logout", form: [("token", token)]).status == 303)
        #expect(try await client.get("/").status == 303, "the session is gone after logout")
    }

    @Test("Lock-out: after five failed logins even the right password is refused for a while")
    func lockOut() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        for _ in 0..<5 { #expect(try await desk.client().login(DeskFixture.staff, "wrong-password").status == 401) }
        let locked = try await desk.client().login(DeskFixture.staff, DeskFixture.password)
        #expect(locked.status == 429)
        #expect(locked.body.contains("For mange forkerte forsøg"))
        #expect(locked.header("Set-Cookie") == nil)
    }

    @Test("Lookup: a receipt's whole story, from the kiosk to the expected day in FBS, and the fees only FBS can take")
    func receiptStory() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let page = try await desk.loggedIn().get("/?q=B-000981")
        #expect(page.status == 200)
        for text in ["Kvittering B-000981", "40,00 kr.", "Overført til debitorsystemet", "Betalt ved kiosken",
                     "Hovedbiblioteket, Åbyhøj", "kontant", "21. november 2026 kl. 14.02", "Kioskens fil modtaget",
                     "KIOSK-0042_20261121141500_000123.csv", "Fordelt på gebyrer, ældste først", "F-1001: 20,00 kr.",
                     "F-1002: 20,00 kr.", "Sendt til debitorsystemet", "kioskpay_20261121_000001.csv",
                     "Forventes i FBS:</strong> mandag efter kl. 21.00", "F-0999", "150,00 kr."] {
            #expect(page.body.contains(text), "missing: \(text)")
        }
        #expect(page.body.contains("010190-****"))
        #expect(!page.body.contains("0101901234"))
        #expect(!page.body.contains("010190-1234"))
    }

    @Test("Lookup: once a DEBTOR snapshot lists the payment, the timeline says it is confirmed by the debtor system, and by which snapshot")
    func confirmedStory() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let before = try await desk.loggedIn().get("/?q=B-000981")
        #expect(!before.body.contains("Bekræftet af debitorsystemet"))
        let snapshot = desk.root + "/debitor-20261123.csv"
        try "H;1;DEBTOR;2026-11-23T06:00:00+01:00\nP;KIOSK-0042;K42-20261121-0001\nT;0;0,00\n"
            .write(toFile: snapshot, atomically: true, encoding: .utf8)
        let logger = Logger(label: "desk-test", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try await ClaimsImport(store: desk.store, logger: logger).run(path: snapshot, at: DeskFixture.instant("2026-11-23T06:30:00+01:00"))
        let page = try await desk.loggedIn().get("/?q=B-000981")
        for text in ["Bekræftet af debitorsystemet", "Ifølge debitor-20261123.csv", "23. november 2026 kl. 06.00"] {
            #expect(page.body.contains(text), "missing: \(text)")
        }
    }

    @Test("Lookup: a payment in a refused file is found, with why in plain Danish")
    func refusedStory() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let page = try await desk.loggedIn().get("/?q=K23-20261121-0001")
        #expect(page.body.contains("Afvist"))
        #expect(page.body.contains("Kioskens fil var ufuldstændig"))
        let none = try await desk.loggedIn().get("/?q=B-999999")
        #expect(none.body.contains("Ingen betalinger fundet for"))
    }

    @Test("CPR: masked until revealed; a search by CPR and each reveal are in the trail with the staff member's name")
    func revealIsLogged() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let client = try await desk.loggedIn()
        let search = try await client.get("/?q=010190-1234")
        #expect(search.body.contains("010190-****"))
        #expect(!search.body.contains("1234"), "neither the page nor its forms carry the whole number")
        let token = try #require(search.formToken)
        let revealed = try await client.post("/reveal", form: [("token", token), ("q", "B-000981"), ("key", "payment:4")])
        #expect(revealed.status == 200)
        #expect(revealed.body.contains("010190-1234"))
        let log = try await desk.accessLog()
        #expect(log.contains { $0.event == "searched-cpr" && $0.cause.contains("010190-****") && $0.cause.contains("desk: anne") })
        #expect(log.contains { $0.event == "cpr-revealed" && $0.cause.contains("B-000981") && $0.cause.contains("desk: anne") })
        #expect(!log.contains { $0.cause.contains("0101901234") || $0.cause.contains("010190-1234") })
    }

    @Test("A form without its session's token is refused (another site cannot make the browser post)")
    func formTokenRequired() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let client = try await desk.loggedIn()
        let forged = try await client.post("/reveal", form: [("token", "0000"), ("q", "B-000981"), ("key", "payment:4")])
        #expect(forged.status == 403)
        #expect(!forged.body.contains("010190-1234"))
        #expect(try await desk.accessLog().filter { $0.event == "cpr-revealed" }.isEmpty)
    }

    @Test("Hostile input is escaped and harmless", arguments: ["<script>alert(1)</script>", "' OR 1=1 --", "B-000981%00", "\"><img src=x>"])
    func hostileInput(query: String) async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        let page = try await desk.loggedIn().get("/?q=" + encoded)
        #expect(page.status == 200)
        #expect(!page.body.contains("<script>"))
        #expect(!page.body.contains("<img"))
        #expect(!page.body.contains("' OR"))
        #expect(page.body.contains("Ingen betalinger fundet for"))
    }

    @Test("Security headers: a CSP without scripts, no framing, no sniffing, no caching of result pages")
    func securityHeaders() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let page = try await desk.loggedIn().get("/?q=B-000981")
        let policy = try #require(page.header("Content-Security-Policy"))
        #expect(policy.contains("default-src 'none'"))
        #expect(policy.contains("frame-ancestors 'none'"))
        #expect(!policy.contains("unsafe-inline"))
        #expect(page.header("X-Frame-Options") == "DENY")
        #expect(page.header("X-Content-Type-Options") == "nosniff")
        #expect(page.header("Cache-Control") == "no-store")
        #expect(!page.body.contains("<script"))
    }

    @Test("Day view: each kiosk's payments and totals, and the day's refused files and records with their reasons")
    func dayView() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let page = try await desk.loggedIn().get("/day")
        #expect(page.status == 200)
        for text in ["lørdag 21. november 2026", "KIOSK-0042", "339,95 kr.", "KIOSK-0108", "Afviste filer",
                     "KIOSK-0023_20261121140500_000311.csv", "Afviste betalinger", "B-017002", "310290-****"] {
            #expect(page.body.contains(text), "missing: \(text)")
        }
        #expect(try await desk.loggedIn().get("/day?date=2026-13-01").status == 400)
    }

    @Test("English on request with ?lang=en, or as the configured default")
    func english() async throws {
        let desk = try await DeskFixture.start()
        defer { desk.stop() }
        let page = try await desk.loggedIn().get("/?q=B-000981&lang=en")
        #expect(page.body.contains("Receipt B-000981"))
        #expect(page.body.contains("Passed to the debtor system"))
        #expect(page.body.contains("<html lang=\"en\">"))
        let english = try await DeskFixture.start(language: "en")
        defer { english.stop() }
        #expect(try await english.client().get("/login").body.contains("Log in"))
    }
}
