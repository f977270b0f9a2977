import Foundation
import KioskBridgeStore
import PostgresNIO

/// Fails every exchange still waiting on a connection when the connection closes.
///
/// postgres-nio (1.33) sends a statement to its channel without asking to hear whether the
/// send worked; on a connection that closed meanwhile, the statement is never answered and
/// its caller waits for ever. That is what a bridge paused past its lease meets when it is
/// resumed: the server ended its idle transaction and closed the connection. So each
/// exchange waits here, and the connection's closing ends every exchange still waiting.
final class PostgresConnectionGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var isClosed = false
    private var waiting: [Int: @Sendable (any Error) -> Void] = [:]
    private var nextID = 0

    static var closed: StoreError {
        StoreError(.unavailable, "the connection to the database closed before the server answered", backend: PostgresBridgeStore.backend)
    }

    init(_ connection: PostgresConnection) {
        connection.closeFuture.whenComplete { [weak self] _ in self?.close() }
    }

    /// Runs one exchange with the server; fails it if the connection closes first.
    func exchange<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let once = Once(continuation)
            guard let id = register({ once.resume(with: .failure($0)) }) else {
                once.resume(with: .failure(Self.closed))
                return
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                self.unregister(id)
                once.resume(with: result)
            }
        }
    }

    private func register(_ fail: @escaping @Sendable (any Error) -> Void) -> Int? {
        lock.withLock {
            guard !isClosed else { return nil }
            nextID += 1
            waiting[nextID] = fail
            return nextID
        }
    }

    private func unregister(_ id: Int) {
        _ = lock.withLock { waiting.removeValue(forKey: id) }
    }

    private func close() {
        let failing: [@Sendable (any Error) -> Void] = lock.withLock {
            isClosed = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for fail in failing { fail(Self.closed) }
    }

    /// A continuation resumed by whichever comes first: the answer, or the closing.
    private final class Once<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?

        init(_ continuation: CheckedContinuation<T, any Error>) {
            self.continuation = continuation
        }

        func resume(with result: Result<T, any Error>) {
            let waiting: CheckedContinuation<T, any Error>? = lock.withLock {
                defer { continuation = nil }
                return continuation
            }
            waiting?.resume(with: result)
        }
    }
}
