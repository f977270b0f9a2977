import Hummingbird
import KioskBridgeCore
import KioskBridgeStore

/// Managing the desk's accounts (`/brugere`): for the `admin` role only. Every change is a
/// trail row naming the administrator; an administrator cannot disable their own account
/// or take away their own role, so the desk always keeps one.
extension DeskApplication {
    func refuseAdmin(_ request: Request, _ context: DeskRequestContext) -> Response? {
        guard context.session?.role.mayManageAccounts != true else { return nil }
        let language = pageLanguage(request)
        return message(request, context, status: .forbidden, heading: language.pick("Ingen adgang", "No access"),
                       text: language.pick("Kun en administrator kan ændre skrankens brugere.", "Only an administrator can change the desk's accounts."))
    }

    func accountsPage(_ request: Request, _ context: DeskRequestContext, notice: AccountsPage.Notice? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        if let refusal = refuseAdmin(request, context) { return refusal }
        var values = common(request, context)
        values["page"] = AccountsPage(users: try await store.desk { try await $0.users() }, token: context.session?.formToken ?? "",
                                      notice: notice, language: pageLanguage(request))
        return html(templates.render("accounts", values), status: status)
    }

    func changeAccount(_ request: Request, _ context: DeskRequestContext) async throws -> Response {
        if let refusal = refuseAdmin(request, context) { return refusal }
        let fields = try await Self.form(request)
        guard let session = context.session, fields["token"] == session.formToken else { return forbidden(request, context) }
        let language = pageLanguage(request)
        let name = fields["name"] ?? ""
        let action = fields["action"] ?? ""
        let role = fields["role"].flatMap(DeskRole.init(rawValue:))
        if name == session.staff && (action == "disable" || (action == "role" && role != .admin)) {
            return try await accountsPage(request, context, notice: .init(
                text: language.pick("Du kan ikke spærre din egen konto eller fratage dig selv administratorrollen.",
                                    "You cannot disable your own account or take away your own administrator role."),
                noticeClass: "error"), status: .badRequest)
        }
        let by = "\(session.staff) (desk)"
        let now = clock.now()
        let changed: DeskUser? = try await store.desk { desk in
            switch action {
            case "role": if let role { try await desk.setRole(name: name, role: role, by: by, at: now) } else { nil }
            case "disable": try await desk.setDisabled(name: name, disabled: true, by: by, at: now)
            case "enable": try await desk.setDisabled(name: name, disabled: false, by: by, at: now)
            default: nil
            }
        }
        guard let changed else {
            return try await accountsPage(request, context, notice: .init(
                text: language.pick("Ændringen er ikke gemt: brugeren eller handlingen findes ikke.", "Nothing was changed: no such account or action."),
                noticeClass: "error"), status: .badRequest)
        }
        return try await accountsPage(request, context, notice: .init(
            text: language.pick("\(changed.name): rolle \(changed.role.rawValue)\(changed.disabled ? ", spærret" : "").",
                                "\(changed.name): role \(changed.role.rawValue)\(changed.disabled ? ", disabled" : "")."),
            noticeClass: "ok"))
    }
}
