import Hummingbird
import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore
import Logging
import NIOCore

/// `GET /metrics` on `[metrics] address` and `port`, for Prometheus: the running totals and
/// the status checks, read from the database at each scrape. Aggregate figures only, no
/// personal data; it listens on 127.0.0.1 unless configured otherwise.
public struct MetricsEndpoint: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let clock: any BridgeClock

    public init(configuration: BridgeConfiguration, store: any BridgeStore, clock: any BridgeClock) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
    }

    public func application(logger: Logger, port: Int? = nil,
                            onServerRunning: (@Sendable (any Channel) async -> Void)? = nil) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = try await BridgeMetrics.exposition(configuration: configuration, store: store, at: clock.now())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.metricsAddress, port: port ?? configuration.metricsPort ?? 9464), serverName: nil),
            onServerRunning: onServerRunning ?? { _ in },
            logger: logger)
    }
}
