import Foundation
import KioskBridgeRuntime
import KioskBridgePostgres
import KioskBridgeSQLite
import KioskBridgeStore
import Logging

/// Builds the store the configuration names: the embedded SQLite database at `[paths]
/// database`, or the PostgreSQL schema of `[store]`. The runtime and the desk see only
/// the `BridgeStore` protocols.
enum StoreFactory {
    @Sendable
    static func open(_ configuration: BridgeConfiguration) async throws -> any BridgeStore {
        if let hosted = configuration.store { return try await openPostgres(hosted, configuration: configuration) }
        do {
            return try SQLiteBridgeStore(path: configuration.paths.database, busyTimeoutSeconds: configuration.busyTimeoutSeconds)
        } catch let error as StoreError {
            throw BridgeError(error, doing: "cannot open the database \(configuration.paths.database)")
        }
    }

    /// The schema `[store]` names, created and migrated if need be.
    static func openPostgres(_ hosted: HostedStoreSettings, configuration: BridgeConfiguration) async throws -> PostgresBridgeStore {
        var where_ = "schema \(hosted.schema) at \(hosted.url)"
        do {
            var settings = try PostgresSettings.make(url: hosted.url, schema: hosted.schema, passwordFile: hosted.passwordFile,
                                                     caFile: hosted.caFile)
            // A paused holder's transaction is ended by the server once it has sat idle as long
            // as the lease (or, paused in the middle of a statement such as a COPY, once the
            // statement has run three leases, at least 30 s); a standby waits for locks a little
            // longer than that, so that it takes over instead of giving up meanwhile.
            let statement = max(30, 3 * configuration.leaseSeconds)
            settings.idleTransactionTimeoutSeconds = configuration.leaseSeconds
            settings.statementTimeoutSeconds = statement
            settings.lockTimeoutSeconds = max(configuration.busyTimeoutSeconds, Double(statement + 5))
            settings.pooler = hosted.pooler
            where_ = "schema \(settings.schema) at \(settings.displayURL)"
            return try await PostgresBridgeStore(settings: settings, logger: quiet)
        } catch let error as StoreError {
            throw BridgeError(error, doing: "cannot open the store (\(where_))")
        }
    }

    /// postgres-nio's own log lines stay off: at its detailed levels they carry statements
    /// and their values. Failures reach the bridge as errors and are reported there.
    static let quiet = Logger(label: "kioskbridge.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}
