import Foundation
import GRDB
import KioskBridgePostgres
import KioskBridgeSQLite
import KioskBridgeStore
import Logging
import PostgresNIO
import Testing

/// A fresh, empty store on one backend, with raw access to its tables for the tests that
/// play someone tampering with the database.
public final class TestStore: Sendable {
    public let backend: TestBackend
    public let store: any BridgeStore
    /// For SQLite, the database file; for PostgreSQL, the schema.
    public let location: String
    private let raw: @Sendable (String) async throws -> Void

    private init(backend: TestBackend, store: any BridgeStore, location: String, raw: @escaping @Sendable (String) async throws -> Void) {
        self.backend = backend
        self.store = store
        self.location = location
        self.raw = raw
    }

    /// A new store of `backend` (SQLite: a file in `folder`; PostgreSQL: a new schema of
    /// its own on `KIOSKBRIDGE_TEST_POSTGRES_URL`). Skips the test case when the backend is
    /// not available here.
    public static func make(_ backend: TestBackend, folder: String) async throws -> TestStore {
        try backend.requireAvailable()
        switch backend {
        case .sqlite:
            let path = folder + "/kioskbridge.sqlite"
            let store = try SQLiteBridgeStore(path: path)
            return TestStore(backend: backend, store: store, location: path, raw: { sql in
                let queue = try DatabaseQueue(path: path)
                try await queue.write { db in try db.execute(sql: sql) }
                try queue.close()
            })
        case .postgres:
            let server = try TestPostgres.server()
            let schema = TestPostgres.newSchema()
            let store = try await PostgresBridgeStore(settings: try server.settings(schema: schema), logger: TestPostgres.quiet)
            return TestStore(backend: backend, store: store, location: schema, raw: { sql in
                try await server.run(sql, inSchema: schema)
            })
        }
    }

    /// A second, separate handle on the same database: what another bridge process (another
    /// server) would have.
    public func anotherHandle() async throws -> any BridgeStore {
        switch backend {
        case .sqlite:
            return try SQLiteBridgeStore(path: location)
        case .postgres:
            return try await PostgresBridgeStore(settings: try TestPostgres.server().settings(schema: location), logger: TestPostgres.quiet)
        }
    }

    /// Runs SQL on the store's tables directly, as someone with access to the database would.
    /// Table names are unqualified: on PostgreSQL they are the store's schema's.
    public func tamper(_ sql: String) async throws {
        try await raw(sql)
    }
}

extension TestStore {
    /// Bytes written as a literal of the backend's SQL (for a forged hash).
    public func bytesLiteral(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        switch backend {
        case .sqlite: return "X'\(hex)'"
        case .postgres: return "'\\x\(hex)'::bytea"
        }
    }
}

/// The PostgreSQL server the tests use: `KIOSKBRIDGE_TEST_POSTGRES_URL`, which (unlike a
/// bridge's configuration) carries its password, as `scripts/postgres-test-server` prints it.
public struct TestPostgres: Sendable {
    public let url: String
    public let host: String
    public let port: Int
    public let user: String
    public let password: String?
    public let database: String

    public static let quiet = Logger(label: "test.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    public static func server() throws -> TestPostgres {
        guard let url = TestBackend.postgresURL, let components = URLComponents(string: url), let host = components.host,
              let user = components.user else {
            throw StoreError(.configuration, "KIOSKBRIDGE_TEST_POSTGRES_URL is not a postgresql:// URL with a user", backend: "PostgreSQL")
        }
        return TestPostgres(url: url, host: host, port: components.port ?? 5432, user: user, password: components.password,
                            database: String(components.path.drop(while: { $0 == "/" })))
    }

    /// A schema name no other test uses.
    public static func newSchema() -> String {
        "kbtest_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// The URL without its password, as a bridge's configuration would have it.
    public var configurationURL: String {
        var components = URLComponents(string: url)
        components?.password = nil
        return components?.string ?? url
    }

    public func settings(schema: String) throws -> PostgresSettings {
        try PostgresSettings.make(url: configurationURL, schema: schema, passwordFile: nil, caFile: nil, environment: [:])
            .with(password: password)
    }

    /// The whole number the query's first row starts with (nil without a row).
    public func integer(_ sql: String) async throws -> Int? {
        try await connected { connection in
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.quiet).decode(Int.self) {
                return value
            }
            return nil
        }
    }

    /// Runs `work` while another session holds an exclusive lock on one of the schema's
    /// tables, as a second bridge or an operator's long statement would.
    public func holdingLock<T: Sendable>(on table: String, inSchema schema: String, _ work: () async throws -> T) async throws -> T {
        try await connected { connection in
            try await connection.query("BEGIN", logger: Self.quiet)
            try await connection.query(PostgresQuery(unsafeSQL: "LOCK TABLE \"\(schema)\".\"\(table)\" IN ACCESS EXCLUSIVE MODE"), logger: Self.quiet)
            let result = try await work()
            try await connection.query("ROLLBACK", logger: Self.quiet)
            return result
        }
    }

    /// Runs one statement with the schema's tables reachable by their bare names.
    public func run(_ sql: String, inSchema schema: String) async throws {
        try await connected { connection in
            try await connection.query("BEGIN", logger: Self.quiet)
            try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \"\(schema)\""), logger: Self.quiet)
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Self.quiet)
            try await connection.query("COMMIT", logger: Self.quiet)
        }
    }

    /// A connection of the test's own (not a bridge's), closed when `body` ends either way.
    private func connected<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: .disable)
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.quiet)
        let result: T
        do {
            result = try await body(connection)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return result
    }
}
