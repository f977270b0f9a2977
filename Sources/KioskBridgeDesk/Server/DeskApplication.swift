import Foundation
import Hummingbird
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Logging
import NIOCore

/// The library desk's web page: log in, look up a receipt (or a patron by CPR/CVR number)
/// and see the payment's whole story, and the day's payments and refusals per kiosk; with
/// the `till` role, take a payment at the counter (DeskApplication+Till.swift).
///
/// Server-rendered HTML without scripts. Nothing but the login page (with its stylesheet
/// and an empty icon) answers without a session. Every search by CPR number and every reveal of a whole CPR
/// number is written to the trail with the staff member's name.
public struct DeskApplication: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let clock: any BridgeClock
    let templates: DeskTemplates
    let throttle: LoginThrottle
    let sessions: DeskSessions
    /// Set the cookie's `Secure` flag: the desk is reached through TLS (a proxy in front).
    let secureCookies: Bool
    let language: DeskLanguage

    public init(configuration: BridgeConfiguration, store: any BridgeStore, clock: any BridgeClock,
                loginDelay: Duration = .milliseconds(500)) throws {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        templates = try DeskTemplates()
        throttle = LoginThrottle(store: store, clock: clock, policy: .init(delay: loginDelay))
        sessions = DeskSessions(store: store, clock: clock, lifetime: .seconds(configuration.deskSessionHours * 3600),
                                secureCookies: configuration.deskSecureCookies)
        secureCookies = configuration.deskSecureCookies
        language = DeskLanguage(rawValue: configuration.deskLanguage) ?? .danish
    }

    /// The Hummingbird application on `[desk] address` and `port` (port 0: any free port).
    public func application(logger: Logger, port: Int? = nil,
                            onServerRunning: (@Sendable (any Channel) async -> Void)? = nil) -> some ApplicationProtocol {
        let app = Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.deskAddress, port: port ?? configuration.deskPort), serverName: nil),
            onServerRunning: onServerRunning ?? { _ in },
            logger: logger)
        return app
    }

    func router() -> Router<DeskRequestContext> {
        let router = Router(context: DeskRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(secure: secureCookies))
        router.add(middleware: DeskSessionMiddleware(sessions: sessions))
        router.get("/desk.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: DeskTemplates.stylesheet)))
        }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent, headers: [.cacheControl: "max-age=86400"]) }
        router.get("/login") { request, context in self.loginPage(request, context, failed: false, locked: false, name: "") }
        router.post("/login") { request, context in try await self.login(request, context) }
        let staff = router.group().add(middleware: RequireLoginMiddleware())
        staff.get("/") { request, context in try await self.lookup(request, context) }
        staff.post("/reveal") { request, context in try await self.reveal(request, context) }
        staff.get("/day") { request, context in try await self.day(request, context) }
        staff.post("/logout") { request, context in try await self.logout(request, context) }
        staff.get("/betaling") { request, context in try await self.tillFormPage(request, context) }
        staff.post("/betaling") { request, context in try await self.tillPreview(request, context) }
        staff.post("/betaling/bekraeft") { request, context in try await self.tillConfirm(request, context) }
        staff.get("/kvittering") { request, context in try await self.tillReceipt(request, context) }
        staff.post("/kvittering/annuller") { request, context in try await self.tillVoid(request, context) }
        staff.get("/kasseopgoerelse") { request, context in try await self.tillClosePage(request, context) }
        staff.post("/kasseopgoerelse") { request, context in try await self.tillClose(request, context) }
        staff.get("/brugere") { request, context in try await self.accountsPage(request, context) }
        staff.post("/brugere") { request, context in try await self.changeAccount(request, context) }
        return router
    }

    // MARK: Pages

    func pageLanguage(_ request: Request) -> DeskLanguage {
        DeskLanguage.from(query: request.uri.queryParameters["lang"].map(String.init), default: language)
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// What every page's layout needs.
    func common(_ request: Request, _ context: DeskRequestContext) -> [String: Any] {
        let language = pageLanguage(request)
        var other = request.uri.path + "?"
        // A search by CPR number is not carried into the link: the page never holds the whole number.
        var parameters = request.uri.queryParameters
            .filter { $0.key != "lang" && !($0.key == "q" && PersonalDataRedaction.payerKey(String($0.value))?.count == 10) }
            .map { "\($0.key)=\(Self.formEncoded(String($0.value)))" }
        parameters.append("lang=" + (language == .danish ? "en" : "da"))
        other += parameters.joined(separator: "&")
        var values: [String: Any] = ["labels": DeskLabels.all(language), "languageLink": other]
        if let session = context.session {
            values["staff"] = session.staff
            values["token"] = session.formToken
            if session.role.mayTakePayments && !configuration.tills.isEmpty {
                values["tillLink"] = language.pick("Tag imod betaling", "Take a payment")
                values["tillCloseLink"] = language.pick("Kasseopgørelse", "Till close")
            }
            if session.role.mayManageAccounts { values["accountsLink"] = language.pick("Brugere", "Accounts") }
        }
        return values
    }

    func loginPage(_ request: Request, _ context: DeskRequestContext, failed: Bool, locked: Bool, name: String) -> Response {
        var values = common(request, context)
        values["failed"] = failed
        values["locked"] = locked
        values["name"] = name
        return html(templates.render("login", values), status: failed || locked ? (locked ? .tooManyRequests : .unauthorized) : .ok)
    }

    func login(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        if try await throttle.isLocked(name: name, address: context.peer) {
            try? await store.desk { try await $0.logAccess(staff: name.isEmpty ? "?" : name, subject: "desk-login", subjectID: 0,
                                                           event: "locked-out", cause: "login refused while locked out from \(context.peer)",
                                                           at: clock.now()) }
            return loginPage(request, context, failed: false, locked: true, name: name)
        }
        let user = try await store.desk { try await $0.user(named: name) }
        // An unknown name is checked against a decoy hash, so it takes as long as a wrong password.
        let valid = DeskPasswords.verify(password, hash: user?.passwordHash ?? DeskPasswords.decoy) && user != nil
        guard valid, let user, !user.disabled else {
            try await throttle.failed(name: name, address: context.peer)
            try? await store.desk { try await $0.logAccess(staff: name.isEmpty ? "?" : name, subject: "desk-login", subjectID: 0,
                                                           event: "failed", cause: "failed login from \(context.peer)", at: clock.now()) }
            return loginPage(request, context, failed: true, locked: false, name: name)
        }
        try await throttle.succeeded(name: name)
        let cookie = try await sessions.start(staff: user.name)
        try await store.desk { try await $0.logAccess(staff: user.name, subject: "desk-user", subjectID: user.id, event: "logged-in",
                                                      cause: "logged in from \(context.peer)", at: clock.now()) }
        var response = Response.redirect(to: "/?lang=\(pageLanguage(request).rawValue)", type: .normal)
        response.setCookie(cookie)
        return response
    }

    func logout(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        guard let session = context.session, form["token"] == session.formToken else { return forbidden(request, context) }
        var response = Response.redirect(to: "/login?lang=\(pageLanguage(request).rawValue)", type: .normal)
        response.setCookie(try await sessions.end(session))
        return response
    }

    func lookup(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let query = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return try await results(request, context, query: query, revealed: nil)
    }

    func reveal(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        guard let session = context.session, form["token"] == session.formToken else { return forbidden(request, context) }
        return try await results(request, context, query: form["q"] ?? "", revealed: form["key"])
    }

    /// Runs a lookup, logs what personal data it showed, and renders the results.
    func results(_ request: Request, _ context: DeskRequestContext, query: String, revealed: String?) async throws -> Response {
        let staff = context.session?.staff ?? "?"
        let now = clock.now()
        let matches = query.isEmpty ? [] : try await ReceiptLookup(store: store, configuration: configuration).find(query)
        if let key = PersonalDataRedaction.payerKey(query), key.count == 10 {
            let found = matches.map(LookupPage.key).joined(separator: ", ")
            try await store.desk { session in
                let user = try await session.user(named: staff)
                try await session.logAccess(staff: staff, subject: "desk-user", subjectID: user?.id ?? 0, event: "searched-cpr",
                                      cause: "searched by CPR \(ReceiptLookup.shown(query)); found \(found.isEmpty ? "nothing" : found)", at: now)
            }
        }
        var shown = revealed
        if let revealed {
            if let match = matches.first(where: { LookupPage.key($0) == revealed }), match.payerIsPerson, match.payerDigits != nil {
                try await store.desk { session in
                    try await session.logAccess(staff: staff, subject: match.subject, subjectID: match.rowID, event: "cpr-revealed",
                                          cause: "whole CPR number shown for receipt \(match.receipt ?? "?")", at: now)
                }
            } else {
                shown = nil
            }
        }
        var values = common(request, context)
        values["page"] = LookupPage(query: query, matches: matches, revealed: shown, configuration: configuration,
                                    language: pageLanguage(request), now: now)
        return html(templates.render("lookup", values))
    }

    func day(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let now = clock.now()
        let today = CopenhagenTime.localDate(at: now)
        var date = today
        if let text = request.uri.queryParameters["date"] {
            guard let asked = LocalDate(iso: text), asked <= today else {
                return message(request, context, status: .badRequest,
                               heading: pageLanguage(request).pick("Ugyldig dato", "Invalid date"),
                               text: pageLanguage(request).pick("Angiv en dato som ÅÅÅÅ-MM-DD, i dag eller tidligere.",
                                                                "Give a date as YYYY-MM-DD, today or earlier."))
            }
            date = asked
        }
        var values = common(request, context)
        values["page"] = DayPage(day: try await Reconciliation.make(date: date, store: store), language: pageLanguage(request), today: today)
        return html(templates.render("day", values))
    }

    func forbidden(_ request: Request, _ context: DeskRequestContext) -> Response {
        message(request, context, status: .forbidden, heading: pageLanguage(request).pick("Formularen er udløbet", "The form has expired"),
                text: pageLanguage(request).pick("Hent siden igen og prøv en gang til.", "Load the page again and try once more."))
    }

    func message(_ request: Request, _ context: DeskRequestContext, status: HTTPResponse.Status, heading: String, text: String) -> Response {
        var values = common(request, context)
        values["heading"] = heading
        values["message"] = text
        return html(templates.render("message", values), status: status)
    }

    // MARK: Helpers

    /// A posted form's fields (at most 16 kB); a body that is not a form has none.
    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        return (try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body))) ?? [:]
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// Sends anyone without a session to the login page.
struct RequireLoginMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: DeskRequestContext, next: (Request, DeskRequestContext) async throws -> Response) async throws -> Response {
        guard context.session != nil else {
            let english = request.uri.queryParameters["lang"] == "en"
            return .redirect(to: english ? "/login?lang=en" : "/login", type: .normal)
        }
        return try await next(request, context)
    }
}
