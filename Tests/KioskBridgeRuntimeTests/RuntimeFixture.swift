import Foundation
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Logging
import StoreTestSupport

/// A bridge in a temporary folder, driven in-process through the runtime's use cases, on
/// one of the store's backends.
final class RuntimeFixture {
    let root: String
    let configuration: BridgeConfiguration
    let testStore: TestStore
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    var store: any BridgeStore { testStore.store }

    private init(root: String, configuration: BridgeConfiguration, testStore: TestStore) {
        self.root = root
        self.configuration = configuration
        self.testStore = testStore
    }

    static func make(_ backend: TestBackend = .sqlite) async throws -> RuntimeFixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-runtime-\(UUID().uuidString)").path
        let configuration = try BridgeSetup.createFolder(root, settleSeconds: 0)
        return RuntimeFixture(root: root, configuration: configuration, testStore: try await TestStore.make(backend, folder: root))
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static func instant(_ text: String) -> Instant { (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0) }

    func drop(_ name: String, _ text: String) throws {
        try text.write(toFile: configuration.paths.inbox + "/" + name, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func cycle(at time: String) async throws -> CycleSummary {
        let ingest = IngestRun(configuration: configuration, store: store, logger: logger, sleep: { _ in })
        return try await CycleRun(configuration: configuration, store: store, logger: logger, ingest: ingest).run(at: Self.instant(time))
    }

    /// A day with several files, a void and two cycles.
    func runDay() async throws {
        try drop("a.csv", """
            H;1;KIOSK-0042;Hovedbiblioteket;1;2026-11-21T14:15:00+01:00
            D;K42-1;2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;40,00;CASH;B-1;
            D;K42-2;2026-11-21T14:09:40+01:00;1505851237;ERSTATNING;249,95;CARD;B-2;
            T;2;289,95

            """)
        try await cycle(at: "2026-11-21T14:20:00+01:00")
        try drop("b.csv", """
            H;1;KIOSK-0042;Hovedbiblioteket;2;2026-11-21T14:35:00+01:00
            V;K42-3;2026-11-21T14:30:00+01:00;K42-1;40,00;wrong claim
            D;K42-4;2026-11-21T14:31:00+01:00;0101901234;BIBLIOTEKSGEBYR;20,00;CASH;B-4;
            T;2;-20,00

            """)
        try await cycle(at: "2026-11-21T14:40:00+01:00")
    }

    /// Raw access to the database, as someone tampering with it would have.
    func tamper(_ sql: String) async throws {
        try await testStore.tamper(sql)
    }
}
