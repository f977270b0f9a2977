import Hummingbird
import Logging
import NIOCore
import Synchronization

/// An FBS stand-in on 127.0.0.1 for tests: the four operations of fbs-api.md under
/// `/rest` with FBS's rules, faults to switch on, and counts to check afterwards
/// (``FBSSimulatorState``), plus the control endpoint of ``FBSSimulatorControl``.
///
/// ```swift
/// let simulator = try await FBSSimulator.start(FBSSimulatorData(patrons: [...]))
/// defer { simulator.stop() }
/// // point the client at simulator.baseURL; arm faults with simulator.state.inject(...)
/// ```
public final class FBSSimulator: Sendable {
    public let state: FBSSimulatorState
    /// The port the system chose.
    public let port: Int
    /// Where the server's tasks run; a test that waits on the simulator within a short
    /// timeout runs its own there too (`withTaskExecutorPreference(simulator.executor)`).
    public let executor: FBSSimulatorExecutor
    private let server: Task<Void, any Error>

    /// What the bridge's `[fbs] base_url` is set to.
    public var baseURL: String { "http://127.0.0.1:\(port)/rest" }

    private init(state: FBSSimulatorState, port: Int, executor: FBSSimulatorExecutor, server: Task<Void, any Error>) {
        self.state = state
        self.port = port
        self.executor = executor
        self.server = server
    }

    public struct StartFailure: Error {}

    /// Starts listening on 127.0.0.1 (`port` 0: a free port, reported in ``port``).
    public static func start(_ data: FBSSimulatorData, port: Int = 0, holdLimit: Duration = .seconds(60)) async throws -> FBSSimulator {
        let state = FBSSimulatorState(data: data)
        let bound = Mutex<Int?>(nil)
        let app = application(state: state, port: port, holdLimit: holdLimit,
                              logger: Logger(label: "fbs-simulator", factory: { _ in SwiftLogNoOpLogHandler() })) { channel in
            bound.withLock { $0 = channel.localAddress?.port }
        }
        let executor = FBSSimulatorExecutor()
        let server = Task(executorPreference: executor) { try await app.runService() }
        for _ in 0..<1000 {
            if let port = bound.withLock({ $0 }) { return FBSSimulator(state: state, port: port, executor: executor, server: server) }
            try await Task.sleep(for: .milliseconds(10))
        }
        server.cancel()
        throw StartFailure()
    }

    /// Ends held requests and stops listening.
    public func stop() {
        state.release()
        server.cancel()
    }

    /// The Hummingbird application, for `fbs-simulator` to run in its own service group.
    public static func application(state: FBSSimulatorState, port: Int, holdLimit: Duration, logger: Logger,
                                   onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> some ApplicationProtocol {
        let router = Router()
        FBSSimulatorRoutes(state: state, holdLimit: holdLimit).add(to: router)
        FBSSimulatorControl(state: state).add(to: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
                           onServerRunning: onServerRunning, logger: logger)
    }
}
