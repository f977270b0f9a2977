import Foundation
import KioskBridgeCore
import ArgumentParser
import KioskBridgeDesk
import KioskBridgeRuntime
import KioskBridgeStore

struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Accounts for the library desk's web page.",
        subcommands: [DeskAddUserCommand.self, DeskDisableUserCommand.self, DeskEnableUserCommand.self, DeskListUsersCommand.self])
}

struct DeskAddUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-user",
        abstract: "Add a desk staff account, or give an existing one a new password (asked for without echo).")

    @Argument(help: "The account name the staff member logs in with.")
    var name: String

    @Option(help: ArgumentHelp("What the account may do: lookup (look payments up), till (and take payments at a till), admin (and manage accounts). A new account is lookup unless given; an existing one keeps its role.",
                               valueName: "role"))
    var role: String?

    @OptionGroup var common: CommonOptions

    func validate() throws {
        if let role, DeskRole(rawValue: role) == nil {
            throw ValidationError("--role: expected lookup, till or admin, found \"\(role)\"")
        }
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            throw ValidationError("NAME: expected 1 to 64 letters, digits and . _ - @")
        }
    }

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            try BridgeSetup.prepareFolders(configuration)
            let store = try await StoreFactory.open(configuration)
            guard let password = PasswordPrompt.read("Password for \(name): ") else {
                throw BridgeError.configuration("no password was given")
            }
            if let problem = DeskPasswords.problem(with: password, name: name) { throw BridgeError.configuration(problem) }
            guard PasswordPrompt.read("Again: ").map({ $0 == password }) ?? true else {
                throw BridgeError.configuration("the two passwords differ; nothing was changed")
            }
            let hash = DeskPasswords.hash(password)
            let operator_ = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "the operator"
            let user = try await store.desk { [name, role, common] session in
                let saved = try await session.saveUser(name: name, passwordHash: hash, at: common.clock.now())
                guard let role = role.flatMap(DeskRole.init(rawValue:)) else { return saved }
                return try await session.setRole(name: name, role: role, by: "\(operator_) (command line)", at: common.clock.now()) ?? saved
            }
            printOutput("desk account \(user.name) saved, role \(user.role.rawValue)\n")
        }
    }
}

/// `desk disable-user NAME`: ends the account's sessions at once, on every `serve`, and
/// refuses its logins until `enable-user`.
struct DeskDisableUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable-user",
        abstract: "End a desk account's sessions at once and refuse its logins (enable-user undoes it).")

    @Argument(help: "The account name.")
    var name: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await DeskAccountSwitch(name: name, disabled: true, common: common).run()
    }
}

struct DeskEnableUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable-user",
        abstract: "Let a disabled desk account log in again.")

    @Argument(help: "The account name.")
    var name: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await DeskAccountSwitch(name: name, disabled: false, common: common).run()
    }
}

/// Disabling or enabling an account, with the operator who did it in the trail.
struct DeskAccountSwitch {
    let name: String
    let disabled: Bool
    let common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let operator_ = ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "the operator"
            guard let user = try await store.desk({ [name, disabled, common] in
                try await $0.setDisabled(name: name, disabled: disabled, by: "\(operator_) (command line)", at: common.clock.now())
            }) else {
                throw BridgeError.configuration("there is no desk account named \(name) (kioskbridge desk list-users shows them)")
            }
            await store.close()
            if common.json {
                printJSON(.object([("name", .string(user.name)), ("disabled", .bool(user.disabled))]))
            } else {
                printOutput("desk account \(user.name) \(user.disabled ? "disabled: its sessions are ended and its logins refused" : "enabled")\n")
            }
        }
    }
}

/// `desk list-users`: every desk account, its role, and whether it is disabled.
struct DeskListUsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-users", abstract: "List the desk's accounts.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            let store = try await StoreFactory.open(configuration)
            let users = try await store.desk { try await $0.users() }
            await store.close()
            if common.json {
                printJSON(.array(users.map { .object([("name", .string($0.name)), ("role", .string($0.role.rawValue)), ("disabled", .bool($0.disabled)),
                                                      ("created_at", .string(Timestamp.format($0.createdAt)))]) }))
            } else if users.isEmpty {
                printOutput("no desk accounts yet (kioskbridge desk add-user NAME adds one)\n")
            } else {
                printOutput(users.map { "\($0.name)  \($0.role.rawValue)\($0.disabled ? "  (disabled)" : "")\n" }.joined())
            }
        }
    }
}
