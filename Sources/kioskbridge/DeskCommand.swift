import ArgumentParser
import KioskBridgeDesk
import KioskBridgeRuntime

struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "Accounts for the library desk's web page.",
        subcommands: [DeskAddUserCommand.self])
}

struct DeskAddUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-user",
        abstract: "Add a desk staff account, or give an existing one a new password (asked for without echo).")

    @Argument(help: "The account name the staff member logs in with.")
    var name: String

    @OptionGroup var common: CommonOptions

    func validate() throws {
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
            let user = try await store.desk { try await $0.saveUser(name: name, passwordHash: hash, at: common.clock.now()) }
            printOutput("desk account \(user.name) saved\n")
        }
    }
}
