import ArgumentParser
import Foundation
import KioskBridgePostgres
import KioskBridgeRuntime
import KioskBridgeSQLite
import KioskBridgeStore

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Moving a bridge's store.",
        subcommands: [StoreCopyCommand.self])
}

/// `kioskbridge store copy --to URL --schema NAME`: the SQLite store of the bridge named by
/// `--config`, every table and the trail with its hashes, into an empty PostgreSQL schema.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy this bridge's SQLite store (trail included) into an empty PostgreSQL schema; then point [store] at it.",
        discussion: """
            The password comes from --password-file, else PGPASSWORD, else ~/.pgpass; never from the URL.
            Stop cron and watch for the bridge first: a bridge whose lease is held is refused (exit 75). The copy's trail is verified
            afterwards and must name the same head as the original's.
            """)

    @Option(name: .long, help: "The PostgreSQL database: postgresql://USER@HOST:PORT/DATABASE?sslmode=disable|require|verify-full")
    var to: String

    @Option(name: .long, help: "The schema to create or fill (it must be empty), e.g. kb_0751.")
    var schema: String

    @Option(name: .long, help: "A file whose first line is the database password.")
    var passwordFile: String?

    @Option(name: .long, help: "The CA certificate (PEM) for sslmode=verify-full.")
    var caFile: String?

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await runReportingErrors {
            _ = common.logger()
            let configuration = try common.loadConfiguration()
            if let hosted = configuration.store {
                throw BridgeError.configuration("\(configuration.file) already keeps its store in PostgreSQL (schema \(hosted.schema)); store copy moves an SQLite store")
            }
            guard FileManager.default.fileExists(atPath: configuration.paths.database) else {
                throw BridgeError.configuration("\(configuration.paths.database): no SQLite store to copy")
            }
            let source = try await StoreFactory.open(configuration)
            guard let sqlite = source as? SQLiteBridgeStore else {
                throw BridgeError.configuration("\(configuration.file): store copy moves an SQLite store")
            }
            // Nothing may run on the bridge meanwhile. The copy reads one snapshot and takes no
            // lease (taking one writes the trail, which would leave the original a row ahead);
            // the trails compared afterwards prove that nothing was written in between.
            let lease = try await sqlite.operations { try await $0.leaseState() }
            if lease.isHeld {
                let holder = lease.current.map { " (\($0.host) pid \($0.pid))" } ?? ""
                throw BridgeError.locked("a kioskbridge cycle, ingest or watch holds this bridge's lease\(holder); stop it, and cron, before store copy")
            }
            let folder = FileManager.default.currentDirectoryPath
            let hosted = HostedStoreSettings(url: to, schema: schema,
                                             passwordFile: passwordFile.map { ($0.hasPrefix("/") ? $0 : folder + "/" + $0) },
                                             caFile: caFile.map { ($0.hasPrefix("/") ? $0 : folder + "/" + $0) })
            if URLComponents(string: to)?.password != nil {
                throw BridgeError.configuration("--to: the URL holds a password; give it with --password-file, PGPASSWORD or ~/.pgpass instead")
            }
            let destination = try await StoreFactory.openPostgres(hosted, configuration: configuration)
            let copied: StoreCopyResult
            do {
                copied = try await destination.receiveTables { sink in try await sqlite.copyTables(into: sink) }
            } catch let error as StoreError {
                throw BridgeError(error, doing: "store copy into schema \(schema) failed, nothing was copied")
            }
            let original = try await TrailAudit(store: sqlite).verify()
            let copy = try await TrailAudit(store: destination).verify()
            await sqlite.close()
            await destination.close()
            guard copy.problem == nil, copy.head == original.head else {
                if copy.problem == nil {
                    throw BridgeError.io("the SQLite store changed while it was copied (its trail now ends at \(original.head.map(\.description) ?? "nothing"), the copy's at \(copy.head.map(\.description) ?? "nothing")): stop every cycle, ingest and watch of this bridge, and copy again into a new schema")
                }
                throw BridgeError.io("the copy in schema \(schema) does not verify like the original (original: \(original.head.map(\.description) ?? "empty trail"), copy: \(copy.head.map(\.description) ?? "empty trail")\(copy.problem.map { "; \($0)" } ?? "")): do not use it")
            }
            report(copied, head: copy.head, configuration: configuration, hosted: hosted)
        }
    }

    private func report(_ copied: StoreCopyResult, head: TrailHead?, configuration: BridgeConfiguration, hosted: HostedStoreSettings) {
        if common.json {
            printJSON(.object([
                ("schema", .string(schema)),
                ("rows", .object(copied.rows.map { ($0.table, JSONValue.int($0.count)) })),
                ("head", head.map { .object([("row", .int(Int($0.rowID))), ("sha256", .string($0.sha256))]) } ?? .null),
            ]))
            return
        }
        let rows = copied.rows.filter { $0.count > 0 }.map { "  \($0.table): \($0.count)" }.joined(separator: "\n")
        printOutput("""
            Copied \(configuration.paths.database) into schema \(schema):
            \(rows)
            The copy's trail verifies and ends where the original's does: \(head.map(\.description) ?? "empty trail").
            Next: stop cron and watch for this bridge, add to \(configuration.file)
              [store]
              url = "\(to)"
              schema = "\(schema)"
            \(hosted.passwordFile.map { "  password_file = \"\($0)\"\n" } ?? "")\
            and run kioskbridge audit verify --config \(configuration.file)

            """)
    }
}
