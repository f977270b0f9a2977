import KioskBridgeRuntime
import KioskBridgeSQLite
import KioskBridgeStore

/// Builds the store the configuration names: the embedded SQLite database at `[paths]
/// database`. The runtime and the desk see only the `BridgeStore` protocols.
enum StoreFactory {
    @Sendable
    static func open(_ configuration: BridgeConfiguration) async throws -> any BridgeStore {
        do {
            return try SQLiteBridgeStore(path: configuration.paths.database, busyTimeoutSeconds: configuration.busyTimeoutSeconds)
        } catch let error as StoreError {
            throw BridgeError(error, doing: "cannot open the database \(configuration.paths.database)")
        }
    }
}
