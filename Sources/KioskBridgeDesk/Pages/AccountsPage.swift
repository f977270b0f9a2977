import KioskBridgeStore

/// The desk's accounts (`/brugere`, the `admin` role): each account's role, and disabling
/// or enabling it. New accounts and passwords stay on the command line (`desk add-user`),
/// where a password is asked for without echo and never crosses the network.
struct AccountsPage {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Account {
        let name: String
        let roles: [Option]
        let roleLabel: String
        let saveText: String
        let state: String
        let disabled: Bool
        let token: String
        let switchAction: String
        let switchText: String
    }

    struct Notice {
        let text: String
        let noticeClass: String
    }

    let heading: String
    let nameLabel: String, roleLabel: String, stateLabel: String
    let accounts: [Account]
    let notice: Notice?
    let addNote: String

    init(users: [DeskUser], token: String, notice: Notice?, language: DeskLanguage) {
        let pick = language.pick
        let roleNames: [DeskRole: String] = [.lookup: pick("Opslag", "Lookup"), .till: pick("Kasse", "Till"), .admin: pick("Administrator", "Administrator")]
        heading = pick("Skrankens brugere", "The desk's accounts")
        nameLabel = pick("Bruger", "Account")
        roleLabel = pick("Rolle", "Role")
        stateLabel = pick("Status", "State")
        accounts = users.map { user in
            Account(name: user.name,
                    roles: DeskRole.allCases.map { Option(value: $0.rawValue, label: roleNames[$0] ?? $0.rawValue, selected: $0 == user.role) },
                    roleLabel: pick("Rolle for \(user.name)", "Role of \(user.name)"), saveText: pick("Gem", "Save"),
                    state: user.disabled ? pick("Spærret", "Disabled") : pick("Aktiv", "Active"), disabled: user.disabled, token: token,
                    switchAction: user.disabled ? "enable" : "disable",
                    switchText: user.disabled ? pick("Genåbn", "Enable") : pick("Spær", "Disable"))
        }
        self.notice = notice
        addNote = pick("Nye brugere og adgangskoder oprettes på serveren: kioskbridge desk add-user NAVN --role ROLLE.",
                       "New accounts and passwords are made on the server: kioskbridge desk add-user NAME --role ROLE.")
    }
}
