import Foundation
import KioskBridgeStore
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The store's connections: opened when a session needs one, kept a while for the next.
///
/// postgres-nio's own pool retries a failed connect for up to a minute before it fails a
/// waiting request; a wrong password or a stopped server must end a command at once with
/// one clear line instead, so connections are opened here, each attempt's failure going
/// straight to the session that asked.
final class PostgresConnections: @unchecked Sendable {
    private let settings: PostgresSettings
    private let logger: Logger
    private let lock = NSLock()
    private var idle: [GuardedConnection] = []
    private var closed = false
    private var nextID = 0
    /// Connections kept open between sessions (the desk serves requests side by side).
    private static let keptIdle = 4
    /// Every connection's `application_name`, unique to this store: the lease records it, and
    /// a standby that finds no connection of that name knows the holder's process has ended.
    /// It names the process, for whoever reads `pg_stat_activity`.
    let presence = "kioskbridge pid \(ProcessInfo.processInfo.processIdentifier) " + String(UInt64.random(in: 0...UInt64.max), radix: 16)

    init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// A connection with the guard that answers its exchanges when it closes.
    struct GuardedConnection: Sendable {
        let connection: PostgresConnection
        let guard_: PostgresConnectionGuard
    }

    /// Runs `body` on a connection of its own; a connection that failed is not reused.
    func with<T>(_ body: (GuardedConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            // A failed session may have left the connection mid-transaction or broken.
            discard(connection)
            throw error
        }
    }

    private func lease() async throws -> GuardedConnection {
        let (reused, id): (GuardedConnection?, Int) = lock.withLock {
            while let connection = idle.popLast() {
                if !connection.connection.isClosed { return (connection, 0) }
            }
            nextID += 1
            return (nil, nextID)
        }
        if let reused { return reused }
        if lock.withLock({ closed }) {
            throw StoreError(.unavailable, "the store was closed", backend: PostgresBridgeStore.backend)
        }
        do {
            let connection = try await PostgresConnection.connect(configuration: try configuration(), id: id, logger: logger)
            return GuardedConnection(connection: connection, guard_: PostgresConnectionGuard(connection))
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    private func release(_ connection: GuardedConnection) {
        let keep: Bool = lock.withLock {
            guard !closed, !connection.connection.isClosed, idle.count < Self.keptIdle else { return false }
            idle.append(connection)
            return true
        }
        if !keep { discard(connection) }
    }

    /// Closes a connection without waiting; it is kept until the channel has closed
    /// (postgres-nio insists that a connection is closed before it goes away).
    private func discard(_ guarded: GuardedConnection) {
        let connection = guarded.connection
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    deinit {
        for connection in idle { discard(connection) }
    }

    func close() async {
        let all: [GuardedConnection] = lock.withLock {
            closed = true
            defer { idle.removeAll() }
            return idle
        }
        for connection in all { try? await connection.connection.close() }
    }

    private func configuration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(host: settings.host, port: settings.port, username: settings.user,
                                                             password: settings.password, database: settings.database,
                                                             tls: try tls())
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.additionalStartupParameters = [("application_name", presence)]
        if settings.tls == .verifyFull { configuration.options.tlsServerName = settings.host }
        return configuration
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch settings.tls {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq's require: encrypted, the certificate not checked.
            tls.certificateVerification = .none
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            if let caFile = settings.caFile {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                } catch {
                    throw StoreError(.configuration, "[store] ca_file \(caFile): not a PEM certificate (\(error))",
                                     backend: PostgresBridgeStore.backend)
                }
            }
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw StoreError(.configuration, "TLS could not be set up (\(error))", backend: PostgresBridgeStore.backend)
        }
        return settings.tls == .prefer ? .prefer(context) : .require(context)
    }
}
