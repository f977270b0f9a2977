import Foundation
import Hummingbird
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Logging
import NIOCore
import StoreTestSupport
import Synchronization
@testable import KioskBridgeDesk

/// A bridge in a temporary folder that has run the sample day, with a desk account and the
/// desk's web application listening on a free port of 127.0.0.1.
final class DeskFixture: Sendable {
    static let staff = "anne"
    static let password = "bibliotekar-kode-1"
    static let now = "2026-11-21T15:00:00+01:00"

    let root: String
    let configuration: BridgeConfiguration
    let testStore: TestStore
    var store: any BridgeStore { testStore.store }
    let port: Int
    private let server: Task<Void, any Error>

    static func instant(_ text: String) -> Instant { (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0) }

    static var samples: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SampleFiles").path
    }

    private init(root: String, configuration: BridgeConfiguration, testStore: TestStore, port: Int, server: Task<Void, any Error>) {
        self.root = root
        self.configuration = configuration
        self.testStore = testStore
        self.port = port
        self.server = server
    }

    /// `metrics`: serve the metrics endpoint instead of the desk.
    static func start(language: String = "da", metrics: Bool = false, backend: TestBackend = .sqlite,
                      tills: [TillSettings] = []) async throws -> DeskFixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-desk-\(UUID().uuidString)").path
        var configuration = try BridgeSetup.createFolder(root, settleSeconds: 0)
        configuration.deskLanguage = language
        configuration.tills = tills
        let testStore = try await TestStore.make(backend, folder: root)
        let store = testStore.store
        let logger = Logger(label: "desk-test", factory: { _ in SwiftLogNoOpLogHandler() })
        _ = try await ClaimsImport(store: store, logger: logger).run(path: samples + "/claims/claims-debtor-20261121.csv",
                                                              at: instant("2026-11-21T12:00:00+01:00"))
        for name in try FileManager.default.contentsOfDirectory(atPath: samples + "/inbox") {
            try FileManager.default.copyItem(atPath: samples + "/inbox/" + name, toPath: configuration.paths.inbox + "/" + name)
        }
        let ingest = IngestRun(configuration: configuration, store: store, logger: logger, sleep: { _ in })
        _ = try await CycleRun(configuration: configuration, store: store, logger: logger, ingest: ingest).run(at: instant("2026-11-21T14:20:00+01:00"))
        _ = try await store.desk { try await $0.saveUser(name: staff, passwordHash: DeskPasswords.hash(password, cost: 4), at: instant(now)) }

        let clock = FixedClock(instant(now))
        let server: (port: Int, task: Task<Void, any Error>)
        if metrics {
            let app = MetricsEndpoint(configuration: configuration, store: store, clock: clock)
            server = try await Self.serve { ready in app.application(logger: logger, port: 0, onServerRunning: ready) }
        } else {
            server = try await Self.desk(configuration: configuration, store: store, clock: clock)
        }
        return DeskFixture(root: root, configuration: configuration, testStore: testStore, port: server.port, server: server.task)
    }

    /// The desk's application on a free port of 127.0.0.1, on `store`.
    static func desk(configuration: BridgeConfiguration, store: any BridgeStore, clock: any BridgeClock) async throws
        -> (port: Int, task: Task<Void, any Error>) {
        let logger = Logger(label: "desk-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let desk = try DeskApplication(configuration: configuration, store: store, clock: clock, loginDelay: .milliseconds(1))
        return try await serve { ready in desk.application(logger: logger, port: 0, onServerRunning: ready) }
    }

    /// Runs an application and waits until it listens; its port and its task.
    static func serve<App: ApplicationProtocol>(_ make: (@escaping @Sendable (any Channel) async -> Void) -> App) async throws
        -> (port: Int, task: Task<Void, any Error>) {
        let bound = Mutex<Int?>(nil)
        let app = make { channel in bound.withLock { $0 = channel.localAddress?.port } }
        let task = Task { try await app.run() }
        for _ in 0..<500 {
            if let port = bound.withLock({ $0 }) { return (port, task) }
            try await Task.sleep(for: .milliseconds(10))
        }
        task.cancel()
        throw CancellationError()
    }

    /// Another `serve` process on the same database: its own store handle, its own port.
    func anotherServer(clock: any BridgeClock = FixedClock(DeskFixture.instant(DeskFixture.now))) async throws
        -> (port: Int, task: Task<Void, any Error>) {
        try await Self.desk(configuration: configuration, store: try await testStore.anotherHandle(), clock: clock)
    }

    func stop() {
        server.cancel()
        try? FileManager.default.removeItem(atPath: root)
    }

    func client() -> DeskClient { DeskClient(port: port) }

    func loggedIn() async throws -> DeskClient {
        let client = client()
        try await client.login(Self.staff, Self.password)
        return client
    }

    /// The trail rows the desk wrote (access log), oldest first.
    func accessLog() async throws -> [TrailEntry] {
        try await store.lookup { reader in
            try await reader.trail(subject: "desk-user", id: 1) + reader.trail(subject: "payment", id: 4).filter { $0.event == "cpr-revealed" }
        }
    }
}
