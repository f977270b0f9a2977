import Foundation
import Hummingbird
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The till (`/betaling`): staff with the `till` role take a payment at the counter, see
/// how it will be allocated, confirm it once, and print its receipt (`/kvittering`).
extension DeskApplication {
    /// Nil when the session may take payments here; otherwise the page that says why not.
    func refuseTill(_ request: Request, _ context: DeskRequestContext) -> Response? {
        let language = pageLanguage(request)
        guard let session = context.session, session.role.mayTakePayments else {
            return message(request, context, status: .forbidden, heading: language.pick("Ingen adgang", "No access"),
                           text: language.pick("Din konto må slå betalinger op, men ikke tage imod dem. En administrator kan give den rollen till.",
                                               "Your account may look payments up but not take them. An administrator can give it the role till."))
        }
        guard !configuration.tills.isEmpty else {
            return message(request, context, status: .notFound, heading: language.pick("Ingen kasser", "No tills"),
                           text: language.pick("Konfigurationen har ingen [[till]]; spørg driften.", "The configuration has no [[till]]; ask the operators."))
        }
        return nil
    }

    func tillFormPage(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        var form = TillForm()
        form.tillID = request.uri.queryParameters["kasse"].map(String.init) ?? configuration.tills.first?.id ?? ""
        form.tender = "MOBILEPAY"
        return tillPage(request, context, form: form)
    }

    func tillPage(_ request: Request, _ context: DeskRequestContext, form: TillForm, refusals: [TillRefusal] = [],
                  preview: TillPreview? = nil, booking: String? = nil) -> Response {
        var values = common(request, context)
        values["page"] = TillPage(form: form, configuration: configuration, language: pageLanguage(request), refusals: refusals,
                                  preview: preview, booking: booking)
        return html(templates.render("till", values), status: refusals.isEmpty ? .ok : .badRequest)
    }

    /// The form's fields as typed; nil when the form is not this session's.
    func tillForm(_ request: Request, _ context: DeskRequestContext) async throws -> (TillForm, [String: String])? {
        let fields = try await Self.form(request)
        guard let session = context.session, fields["token"] == session.formToken else { return nil }
        var form = TillForm()
        form.tillID = fields["till"] ?? ""
        form.payer = fields["payer"] ?? ""
        form.claimType = fields["claim_type"] ?? ""
        form.amount = fields["amount"] ?? ""
        form.tender = fields["tender"] ?? ""
        form.reference = fields["reference"] ?? ""
        form.note = fields["note"] ?? ""
        return (form, fields)
    }

    func tillPreview(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        guard let (form, _) = try await tillForm(request, context), let session = context.session else { return forbidden(request, context) }
        switch form.check(configuration: configuration) {
        case .refused(let refusals):
            return tillPage(request, context, form: form, refusals: refusals)
        case .draft(let draft):
            let now = clock.now()
            let preview = try await TillBooking(configuration: configuration, store: store).preview(draft, at: now)
            return tillPage(request, context, form: form, preview: preview, booking: BookingToken.issue(for: draft, session: session, at: now))
        }
    }

    func tillConfirm(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        guard let (form, fields) = try await tillForm(request, context), let session = context.session else { return forbidden(request, context) }
        let language = pageLanguage(request)
        guard case .draft(let draft) = form.check(configuration: configuration) else {
            if case .refused(let refusals) = form.check(configuration: configuration) { return tillPage(request, context, form: form, refusals: refusals) }
            return forbidden(request, context)
        }
        let now = clock.now()
        let token: BookingToken
        switch BookingToken.check(fields["booking"] ?? "", for: draft, session: session, at: now) {
        case .success(let checked):
            token = checked
        case .failure(.stale):
            return tillPage(request, context, form: form, refusals: [TillRefusal(.form, found: nil,
                danish: "en formular vist inden for de sidste 30 minutter: vis fordelingen igen, og bogfør derefter",
                english: "a form shown within the last 30 minutes: show the allocation again, then book")])
        case .failure:
            return tillPage(request, context, form: form, refusals: [TillRefusal(.form, found: nil,
                danish: "betalingen præcis som den blev vist: vis fordelingen igen", english: "the payment exactly as it was shown: show the allocation again")])
        }
        let issue = try await TillBooking(configuration: configuration, store: store).book(draft, formToken: token.nonce, staff: session.staff, at: now)
        let payment = issue.payment
        var target = "/kvittering?kasse=\(Self.formEncoded(payment.taken.tillID))&nr=\(payment.receiptNumber)&lang=\(language.rawValue)"
        if case .alreadyIssued = issue { target += "&igen=1" }
        return .redirect(to: target, type: .normal)
    }

    func tillReceipt(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        let language = pageLanguage(request)
        let tillID = request.uri.queryParameters["kasse"].map(String.init) ?? ""
        let number = request.uri.queryParameters["nr"].flatMap { Int(String($0)) } ?? 0
        let (found, void) = try await store.desk { session in
            (try await session.tillPayment(tillID: tillID, receiptNumber: number), try await session.tillVoid(tillID: tillID, ofReceipt: number))
        }
        guard let payment = found else {
            return message(request, context, status: .notFound, heading: language.pick("Kvitteringen findes ikke", "No such receipt"),
                           text: language.pick("Der er ingen betaling med det nummer på den kasse.", "There is no payment with that number at that till."))
        }
        let booked = try await ReceiptLookup(store: store, configuration: configuration).find(payment.receipt)
            .first { $0.kioskID == payment.taken.tillID && $0.status != .rejected }
        var values = common(request, context)
        values["page"] = TillReceiptPage(payment: payment, void: void, till: configuration.tills.first { $0.id == tillID }, booked: booked,
                                         again: request.uri.queryParameters["igen"] == "1", cycleMinutes: configuration.cycle.minutes,
                                         mayVoid: context.session?.role.mayTakePayments == true, language: language)
        return html(templates.render("till-receipt", values))
    }

    /// A void at the till: the payment's receipt names it, the reason is required. Before
    /// the payment is exported neither goes to the debtor; after, a reversal does.
    func tillVoid(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        let fields = try await Self.form(request)
        guard let session = context.session, fields["token"] == session.formToken else { return forbidden(request, context) }
        let language = pageLanguage(request)
        let tillID = fields["kasse"] ?? ""
        guard let number = (fields["nr"]).flatMap({ Int($0) }), configuration.tills.contains(where: { $0.id == tillID }) else {
            return message(request, context, status: .notFound, heading: language.pick("Kvitteringen findes ikke", "No such receipt"),
                           text: language.pick("Der er ingen betaling med det nummer på den kasse.", "There is no payment with that number at that till."))
        }
        let back = "/kvittering?kasse=\(Self.formEncoded(tillID))&nr=\(number)&lang=\(language.rawValue)"
        let reason = (fields["reason"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty, reason.count <= 200, !reason.contains(where: { $0.isNewline || $0 == ";" }) else {
            return message(request, context, status: .badRequest, heading: language.pick("Betalingen er ikke annulleret", "The payment is not voided"),
                           text: TillRefusal(.note, found: nil, danish: "en begrundelse på 1 til 200 tegn på én linje, uden semikolon",
                                             english: "a reason of 1 to 200 characters on one line, without a semicolon").text(english: language == .english))
        }
        let issue = try await TillBooking(configuration: configuration, store: store)
            .void(NewTillVoid(tillID: tillID, receiptNumber: number, staff: session.staff, voidedAt: clock.now(), reason: reason))
        switch issue {
        case .voided: return .redirect(to: back, type: .normal)
        case .alreadyVoided: return .redirect(to: back + "&igen=1", type: .normal)
        case .noSuchPayment:
            return message(request, context, status: .notFound, heading: language.pick("Kvitteringen findes ikke", "No such receipt"),
                           text: language.pick("Der er ingen betaling med det nummer på den kasse.", "There is no payment with that number at that till."))
        }
    }

    // MARK: The till close

    func tillClosePage(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        let tillID = request.uri.queryParameters["kasse"].map(String.init) ?? configuration.tills.first?.id ?? ""
        guard let till = configuration.tills.first(where: { $0.id == tillID }) else { return noSuchTill(request, context) }
        return try await closePage(request, context, till: till)
    }

    func closePage(_ request: Request, _ context: DeskRequestContext, till: TillSettings, refusals: [TillRefusal] = []) async throws -> Response {
        let now = clock.now()
        let today = CopenhagenTime.localDate(at: now)
        let registered = try await TillBooking(configuration: configuration, store: store).cash(tillID: till.id, on: today)
        let close = try await store.operations { try await $0.tillCloses(date: today) }.first { $0.tillID == till.id }
        var values = common(request, context)
        values["page"] = TillClosePage(till: till, date: today, registered: registered, close: close, refusals: refusals, language: pageLanguage(request))
        return html(templates.render("till-close", values), status: refusals.isEmpty ? .ok : .badRequest)
    }

    /// Records the counted cash against the cash the till registered today.
    func tillClose(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseTill(request, context) { return refusal }
        let fields = try await Self.form(request)
        guard let session = context.session, fields["token"] == session.formToken else { return forbidden(request, context) }
        guard let till = configuration.tills.first(where: { $0.id == fields["kasse"] }) else { return noSuchTill(request, context) }
        var refusals: [TillRefusal] = []
        let counted = TillForm.countedCash(fields["counted"] ?? "", into: &refusals)
        let note = TillForm.optionalText(fields["note"] ?? "", .note, limit: 200, into: &refusals)
        guard refusals.isEmpty, let counted else { return try await closePage(request, context, till: till, refusals: refusals) }
        _ = try await TillBooking(configuration: configuration, store: store).close(tillID: till.id, counted: counted, staff: session.staff,
                                                                                    note: note, at: clock.now())
        return .redirect(to: "/kasseopgoerelse?kasse=\(Self.formEncoded(till.id))&lang=\(pageLanguage(request).rawValue)", type: .normal)
    }

    func noSuchTill(_ request: Request, _ context: DeskRequestContext) -> Response {
        let language = pageLanguage(request)
        return message(request, context, status: .notFound, heading: language.pick("Kassen findes ikke", "No such till"),
                       text: language.pick("Vælg en af kasserne i konfigurationen.", "Choose one of the configured tills."))
    }
}
