import Foundation
import KioskBridgeStore

/// Where a hosted bridge's store is and how to log in: `[store] url`, `schema`,
/// `password_file`, `ca_file`, `pooler` (cli.md, hosting.md).
///
/// The password is never part of the configuration: it comes from `password_file`, else
/// `PGPASSWORD`, else `~/.pgpass` (libpq's rules), so that a configuration file can be
/// shown, diffed and backed up without leaking it. Nothing here ever prints it.
public struct PostgresSettings: Sendable {
    public enum TLSMode: String, Sendable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is not checked.
        case require
        /// TLS, with the server's certificate checked against `ca_file` (or the system's
        /// trust store) and its name against the host.
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let user: String
    public let database: String
    public let schema: String
    public let tls: TLSMode
    public let caFile: String?
    /// Seconds a write waits for a lock another session holds before it gives up (busy).
    public var lockTimeoutSeconds: Double = 10
    /// Seconds a transaction of this bridge may sit idle (the bridge not sending anything)
    /// before the server ends it: a bridge paused in the middle of a transaction (SIGSTOP,
    /// a frozen virtual machine) must not keep its locks, and so keep a standby from taking
    /// over, for longer than its lease. Nil: the server's own setting.
    public var idleTransactionTimeoutSeconds: Int?
    /// Seconds one statement of this bridge may take, the same for a bridge paused in the
    /// middle of one (a COPY whose data stopped coming). Nil: the server's own setting.
    public var statementTimeoutSeconds: Int?
    /// `[store] pooler`: a connection pooler (PgBouncer) stands between the bridge and the
    /// server, so a connection seen on the server says nothing about which bridge process is
    /// alive. A holder that died is then taken over once its lease lapses, not at once.
    public var pooler = false
    let password: String?

    /// The URL without any secret, for messages.
    public var displayURL: String { "postgresql://\(user)@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)" }

    public init(host: String, port: Int, user: String, database: String, schema: String, tls: TLSMode, caFile: String?,
                password: String?) throws {
        guard Self.isIdentifier(schema) else {
            throw Self.problem("[store] schema \"\(schema)\": expected 1 to 63 lower-case letters, digits and _ starting with a letter or _ (e.g. kb_0751)")
        }
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.schema = schema
        self.tls = tls
        self.caFile = caFile
        self.password = password
    }

    /// Reads `[store]` and finds the password. `passwordFile` and `caFile` are absolute.
    public static func make(url: String, schema: String, passwordFile: String?, caFile: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresSettings {
        let parsed = try ParsedURL(url)
        let password: String?
        if let passwordFile {
            password = try readPasswordFile(passwordFile)
        } else if let fromEnvironment = environment["PGPASSWORD"], !fromEnvironment.isEmpty {
            password = fromEnvironment
        } else {
            password = PGPass.find(host: parsed.host, port: parsed.port, database: parsed.database, user: parsed.user,
                                   file: environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" }))
        }
        if parsed.tls == .verifyFull, let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw problem("[store] ca_file \(caFile): cannot read it (the CA certificate that signed the server's certificate, PEM)")
        }
        return try PostgresSettings(host: parsed.host, port: parsed.port, user: parsed.user, database: parsed.database,
                                    schema: schema, tls: parsed.tls, caFile: caFile, password: password)
    }

    /// A copy of these settings for another schema (`store copy`, tests).
    public func with(schema: String) throws -> PostgresSettings {
        try copy(schema: schema, password: password)
    }

    /// A copy with the password given here (tests, which take it from their own URL).
    public func with(password: String?) throws -> PostgresSettings {
        try copy(schema: schema, password: password)
    }

    private func copy(schema: String, password: String?) throws -> PostgresSettings {
        var copy = try PostgresSettings(host: host, port: port, user: user, database: database, schema: schema, tls: tls,
                                        caFile: caFile, password: password)
        copy.lockTimeoutSeconds = lockTimeoutSeconds
        copy.idleTransactionTimeoutSeconds = idleTransactionTimeoutSeconds
        copy.statementTimeoutSeconds = statementTimeoutSeconds
        copy.pooler = pooler
        return copy
    }

    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), let first = bytes.first, first == UInt8(ascii: "_") || (97...122).contains(first) else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: "_") || (97...122).contains($0) || (48...57).contains($0) }
    }

    static func problem(_ text: String) -> StoreError {
        StoreError(.configuration, text, backend: PostgresBridgeStore.backend)
    }

    /// The first line of the password file.
    static func readPasswordFile(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw problem("[store] password_file \(path): cannot read it (missing, or not readable by this user)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).first.map(String.init) ?? ""
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !password.isEmpty else { throw problem("[store] password_file \(path): its first line is empty (expected the password)") }
        return password
    }
}

/// `postgresql://user@host:port/database?sslmode=...`
struct ParsedURL {
    let host: String
    let port: Int
    let user: String
    let database: String
    let tls: PostgresSettings.TLSMode

    init(_ text: String) throws {
        func fail(_ why: String) -> StoreError {
            PostgresSettings.problem("[store] url: \(why); expected postgresql://USER@HOST:PORT/DATABASE?sslmode=disable|require|verify-full")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              scheme == "postgresql" || scheme == "postgres" else {
            throw fail("not a postgresql:// URL")
        }
        if components.password != nil {
            throw fail("it holds a password; the password belongs in [store] password_file, PGPASSWORD or ~/.pgpass, never in the configuration")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else { throw fail("no user name (USER@ before the host)") }
        guard let host = components.host, !host.isEmpty else { throw fail("no host") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { throw fail("no database name after the host") }
        var tls = PostgresSettings.TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = PostgresSettings.TLSMode(rawValue: value) else {
                    throw fail("sslmode=\(item.value ?? "") is not one of disable, prefer, require, verify-full")
                }
                tls = mode
            default:
                throw fail("unknown parameter \(item.name)")
            }
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.user = user
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }
}

/// `~/.pgpass`: lines of `host:port:database:user:password`, `*` matching anything, `\`
/// escaping `:` and `\`. Like libpq, a file others may read is ignored.
enum PGPass {
    static func find(host: String, port: Int, database: String, user: String, file: String?) -> String? {
        guard let file, let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let data = FileManager.default.contents(atPath: file) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current.hasSuffix("\r") ? String(current.dropLast()) : current)
        return fields
    }
}
