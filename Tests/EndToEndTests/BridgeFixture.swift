import Foundation
import StoreTestSupport
import Testing

/// A bridge in a temporary folder, driven through the built `kioskbridge` executable
/// exactly as cron, an operator or the acceptance suite would drive it.
final class BridgeFixture {
    let root: URL
    var config: String { root.appendingPathComponent("kioskbridge.toml").path }
    var inbox: URL { root.appendingPathComponent("inbox") }
    var outbox: URL { root.appendingPathComponent("outbox") }
    var rejected: URL { root.appendingPathComponent("rejected") }
    var archive: URL { root.appendingPathComponent("archive") }
    var processing: URL { root.appendingPathComponent("processing") }
    var worklist: URL { root.appendingPathComponent("worklist") }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// The single JSON document on standard output.
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
        }
    }

    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["KIOSKBRIDGE_BINARY"] { return URL(fileURLWithPath: path) }
        let candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for folder in candidates {
            var current = folder
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("kioskbridge")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        return candidates[0].appendingPathComponent("kioskbridge")
    }

    /// The store the end-to-end tests run on unless a test names one:
    /// `KIOSKBRIDGE_TEST_E2E_STORE=postgres` runs the whole suite on PostgreSQL, as
    /// `.ci/run` does after the SQLite pass.
    static var defaultBackend: TestBackend {
        ProcessInfo.processInfo.environment["KIOSKBRIDGE_TEST_E2E_STORE"].flatMap(TestBackend.init(rawValue:)) ?? .sqlite
    }

    /// The store this bridge keeps its state in.
    let backend: TestBackend
    /// On PostgreSQL, the schema that is this bridge's store.
    let schema: String?

    /// A fresh bridge from `kioskbridge init`, with the settle check off unless asked for.
    /// On PostgreSQL it gets a schema of its own on the test server, its password in a file.
    init(backend: TestBackend = BridgeFixture.defaultBackend, settleSeconds: Int = 0,
         configure: ((inout String) -> Void)? = nil) throws {
        try backend.requireAvailable()
        self.backend = backend
        schema = backend == .postgres ? TestPostgres.newSchema() : nil
        root = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-e2e-\(UUID().uuidString)")
        let result = Self.run(["init", root.path])
        guard result.status == 0 else { throw FixtureError(message: "init failed: \(result.stderr)") }
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "settle_seconds = 2", with: "settle_seconds = \(settleSeconds)")
        if let schema {
            let server = try TestPostgres.server()
            text += "\n[store]\nurl = \"\(server.configurationURL)\"\nschema = \"\(schema)\"\npassword_file = \"db-password\"\n"
            try ((server.password ?? "") + "\n").write(to: root.appendingPathComponent("db-password"), atomically: true, encoding: .utf8)
        }
        configure?(&text)
        try text.write(toFile: config, atomically: true, encoding: .utf8)
    }

    /// Everything the store holds, as bytes to search: the SQLite file and its
    /// write-ahead log, or `pg_dump`'s data of the bridge's schema.
    func storedBytes() throws -> Data {
        guard let schema else {
            return ["", "-wal"].reduce(into: Data()) { data, suffix in
                data.append((try? Data(contentsOf: root.appendingPathComponent("kioskbridge.sqlite" + suffix))) ?? Data())
            }
        }
        let server = try TestPostgres.server()
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/pg_dump")
        dump.arguments = ["--data-only", "--schema", schema, "--host", server.host, "--port", String(server.port),
                          "--username", server.user, server.database]
        dump.environment = ["PGPASSWORD": server.password ?? "", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let errors = Pipe()
        dump.standardOutput = output
        dump.standardError = errors
        try dump.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        dump.waitUntilExit()
        // Before the bridge's first run the schema does not exist yet: nothing is stored.
        if complaint.contains("no matching schemas") { return Data() }
        guard dump.terminationStatus == 0 else { throw FixtureError(message: "pg_dump of \(schema) failed: \(complaint)") }
        return data
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    struct FixtureError: Error { let message: String }

    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["KIOSKBRIDGE_CONFIG"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Standard error goes to a file: a command that logs more than a pipe holds while
        // standard output is being read would otherwise wait for this process forever.
        let out = Pipe()
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-e2e-stderr-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        guard let err = FileHandle(forWritingAtPath: errPath) else {
            return Result(status: -1, stdout: "", stderr: "cannot create \(errPath)")
        }
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            return Result(status: -1, stdout: "", stderr: "cannot start \(executable.path): \(error)")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { KilledBridgeConnections.awaitClosed(ofProcess: process.processIdentifier) }
        try? err.close()
        let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs a command against this bridge: `kioskbridge <command...> --config <file> [--now] [--json]`.
    @discardableResult
    func run(_ arguments: [String], now: String? = "2026-11-21T14:20:00+01:00", json: Bool = true,
             environment: [String: String] = [:]) -> Result {
        var full = arguments + ["--config", config]
        if let now { full += ["--now", now] }
        if json { full.append("--json") }
        return Self.run(full, environment: environment)
    }

    func cycle(at now: String = "2026-11-21T14:20:00+01:00", environment: [String: String] = [:]) -> Result {
        run(["cycle"], now: now, environment: environment)
    }

    func receipt(_ query: String, at now: String = "2026-11-21T15:00:00+01:00") -> [[String: Any]] {
        run(["receipt", query], now: now).json["matches"] as? [[String: Any]] ?? []
    }

    /// Drops a kiosk file into the inbox.
    func drop(_ name: String, _ text: String, latin1: Bool = false) throws {
        let data = latin1 ? Data(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) : Data(text.utf8)
        try data.write(to: inbox.appendingPathComponent(name))
    }

    func importClaims(_ text: String, name: String = "claims.csv", at now: String = "2026-11-21T06:30:00+01:00") throws -> Result {
        let path = root.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return run(["claims", "import", path], now: now)
    }

    func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    /// Every file under `folder`, as paths relative to it.
    func allFiles(under folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    func outboxFile(_ name: String) -> String { text(outbox.appendingPathComponent(name)) }
}

/// Builders for kiosk files in the CSV format of kiosk-file.md.
enum KioskCSV {
    struct D {
        var id: String
        var paidAt = "2026-11-21T14:02:11+01:00"
        var payer = "0101901234"
        var type = "BIBLIOTEKSGEBYR"
        var amount = "40,00"
        var tender = "CASH"
        var receipt: String
        var operatorID = ""

        var line: String { "D;\(id);\(paidAt);\(payer);\(type);\(amount);\(tender);\(receipt);\(operatorID)" }
    }

    struct V {
        var id: String
        var voidedAt = "2026-11-21T14:12:00+01:00"
        var voids: String
        var amount = "40,00"
        var reason = "wrong amount"

        var line: String { "V;\(id);\(voidedAt);\(voids);\(amount);\(reason)" }
    }

    /// A whole file with a correct trailer (unless `trailer` is given).
    static func file(kiosk: String = "KIOSK-0042", location: String = "Hovedbiblioteket, Åbyhøj", sequence: Int,
                     createdAt: String = "2026-11-21T14:15:00+01:00", records: [String], trailer: String? = nil) -> String {
        var sum = 0
        for record in records {
            let fields = record.split(separator: ";", omittingEmptySubsequences: false)
            if fields.first == "D", fields.count > 5 { sum += ore(String(fields[5])) }
            if fields.first == "V", fields.count > 4 { sum -= ore(String(fields[4])) }
        }
        let total = trailer ?? "T;\(records.count);\(format(sum))"
        return (["H;1;\(kiosk);\(location);\(sequence);\(createdAt)"] + records + [total]).joined(separator: "\n") + "\n"
    }

    static func ore(_ text: String) -> Int {
        let parts = text.split(separator: ",")
        let kroner = Int(parts[0]) ?? 0
        var fraction = parts.count > 1 ? String(parts[1]) : "0"
        if fraction.count == 1 { fraction += "0" }
        return kroner * 100 + (kroner < 0 || text.hasPrefix("-") ? -(Int(fraction) ?? 0) : (Int(fraction) ?? 0))
    }

    static func format(_ ore: Int) -> String {
        let sign = ore < 0 ? "-" : ""
        let magnitude = abs(ore)
        return "\(sign)\(magnitude / 100),\(String(format: "%02d", magnitude % 100))"
    }
}

let sampleClaims = """
    H;1;DEBTOR;2026-11-21T06:00:00+01:00
    C;F-1001;0101901234;BIBLIOTEKSGEBYR;2026-09-01;2026-09-15;20,00;20,00;DEBTOR
    C;F-1002;0101901234;BIBLIOTEKSGEBYR;2026-10-03;2026-10-17;20,00;20,00;DEBTOR
    C;F-0999;0101901234;ERSTATNING;2026-06-10;;300,00;150,00;FBS
    P;KIOSK-0042;K42-20261120-0017
    T;3;190,00

    """
