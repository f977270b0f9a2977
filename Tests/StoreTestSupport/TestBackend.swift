import Foundation
import Testing

/// A database the store's behaviours are tested on.
///
/// SQLite always runs. PostgreSQL runs when `KIOSKBRIDGE_TEST_POSTGRES_URL` names a
/// server the tests may create schemas on; without it its cases are skipped, unless
/// `KIOSKBRIDGE_REQUIRE_POSTGRES=1` (as in CI), where a missing server is a failure.
public enum TestBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// The PostgreSQL server for tests, if one is configured.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["KIOSKBRIDGE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Stops the current test case when its backend cannot run here: skipped, or failed
    /// where PostgreSQL is required.
    public func requireAvailable() throws {
        guard self == .postgres, TestBackend.postgresURL == nil else { return }
        if ProcessInfo.processInfo.environment["KIOSKBRIDGE_REQUIRE_POSTGRES"] == "1" {
            Issue.record("KIOSKBRIDGE_REQUIRE_POSTGRES=1 but KIOSKBRIDGE_TEST_POSTGRES_URL is not set")
        }
        try Test.cancel("PostgreSQL: KIOSKBRIDGE_TEST_POSTGRES_URL is not set")
    }
}
