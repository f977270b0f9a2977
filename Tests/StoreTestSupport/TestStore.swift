import Foundation
import GRDB
import KioskBridgeSQLite
import KioskBridgeStore
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

    /// A new store of `backend` (SQLite: a file in `folder`). Skips the test case when the
    /// backend is not available here.
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
            Issue.record("the PostgreSQL test store is not built yet")
            try Test.cancel("PostgreSQL test store missing")
        }
    }

    /// A second, separate handle on the same database: what another bridge process (another
    /// server) would have.
    public func anotherHandle() async throws -> any BridgeStore {
        switch backend {
        case .sqlite:
            return try SQLiteBridgeStore(path: location)
        case .postgres:
            Issue.record("the PostgreSQL test store is not built yet")
            try Test.cancel("PostgreSQL test store missing")
        }
    }

    /// Runs SQL on the store's tables directly, as someone with access to the database would.
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
