import Foundation
import GRDB
import KioskBridgeStore

/// One GRDB database access (a read or a write transaction) held open on a thread of its
/// own for the whole of an async store session.
///
/// The store's contract is async, but GRDB hands out its connection only inside a
/// synchronous closure, and a transaction ends when that closure returns. So a session
/// starts a thread that enters the closure and then runs the session's jobs, one at a
/// time, in the same transaction, until the session ends: then the closure returns (GRDB
/// commits) or throws (GRDB rolls back). The session's callers await each job and are
/// never blocked; only this thread waits between jobs.
///
/// Everything a job touches (the connection, a session's cached statements) is used by
/// this thread only, one job after the other.
///
/// The thread is also the session's task executor: the session's own async code runs on
/// it between the jobs, so that handing a job over and getting its result back is a call
/// on the same thread instead of two wake-ups of sleeping threads.
final class ConfinedConnection: TaskExecutor, @unchecked Sendable {
    /// How the session ended.
    private enum Ending {
        case commit
        case rollback
    }

    private struct Rollback: Error {}

    /// What a job gets: the connection, or why there is none (the access could not be
    /// opened, or the session already ended).
    private enum Access {
        case open(Database)
        case failed(any Error)
    }

    private let condition = NSCondition()
    /// The jobs and the pieces of the session's async code, in the order they came.
    private var jobs: [(Access) -> Void] = []
    private var ending: Ending?
    private var outcome: Result<Void, any Error>?
    private var finished: CheckedContinuation<Void, any Error>?

    private init() {}

    /// Runs `work` inside one write transaction of `writer`.
    static func write<T>(_ writer: any DatabaseWriter, _ work: (ConfinedConnection) async throws -> T) async throws -> T {
        try await session({ body in try writer.write { db in try body(db) } }, work)
    }

    /// Runs `work` inside one read-only transaction of `reader` (one consistent state).
    static func read<T>(_ reader: any DatabaseReader, _ work: (ConfinedConnection) async throws -> T) async throws -> T {
        try await session({ body in try reader.read { db in try body(db) } }, work)
    }

    private static func session<T>(_ access: @escaping @Sendable (_ body: (Database) throws -> Void) throws -> Void,
                                   _ work: (ConfinedConnection) async throws -> T) async throws -> T {
        let connection = ConfinedConnection()
        let thread = Thread {
            let result = Result { try access { db in try connection.serve(db) } }
            connection.complete(result)
        }
        thread.name = "kioskbridge-sqlite"
        thread.stackSize = 4 << 20
        thread.start()
        let result: T
        do {
            // The session ends outside the preference: its end is awaited from another thread
            // while this one commits.
            result = try await withTaskExecutorPreference(connection) { try await work(connection) }
        } catch {
            try? await connection.end(.rollback)
            throw SQLiteErrors.map(error)
        }
        do {
            try await connection.end(.commit)
        } catch {
            throw SQLiteErrors.map(error)
        }
        return result
    }

    /// Runs `job` on the connection, in the session's transaction.
    func run<R: Sendable>(_ job: @escaping @Sendable (Database) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            let submitted: (Access) -> Void = { access in
                switch access {
                case .open(let db): continuation.resume(with: Result { try job(db) }.mapError(SQLiteErrors.map))
                case .failed(let error): continuation.resume(throwing: error)
                }
            }
            condition.lock()
            if let outcome {
                condition.unlock()
                submitted(.failed(Self.endedError(outcome)))
                return
            }
            jobs.append(submitted)
            condition.signal()
            condition.unlock()
        }
    }

    /// A piece of the session's async code, run on the thread between its jobs. Nothing is
    /// expected once the session is over (a `Task {}` started in it does not inherit the
    /// preference); should anything come then, it runs on a thread of the system's rather
    /// than wait for a thread that has ended.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        condition.lock()
        if outcome == nil {
            jobs.append { _ in job.runSynchronously(on: executor) }
            condition.signal()
            condition.unlock()
            return
        }
        condition.unlock()
        DispatchQueue.global().async { job.runSynchronously(on: executor) }
    }

    /// The thread's side: runs jobs until the session ends.
    private func serve(_ db: Database) throws {
        while true {
            condition.lock()
            while jobs.isEmpty && ending == nil { condition.wait() }
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                condition.unlock()
                job(.open(db))
                continue
            }
            let end = ending
            condition.unlock()
            if end == .rollback { throw Rollback() }
            return
        }
    }

    /// Ends the session and waits until GRDB has committed (or rolled back).
    private func end(_ how: Ending) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            ending = how
            if let outcome {
                condition.unlock()
                continuation.resume(with: outcome)
                return
            }
            finished = continuation
            condition.signal()
            condition.unlock()
        }
    }

    private func complete(_ result: Result<Void, any Error>) {
        condition.lock()
        var result = result
        if case .failure(let error) = result, error is Rollback { result = .success(()) }
        outcome = result
        let waiting = finished
        finished = nil
        // A session whose access failed to open (the database is locked) never runs its
        // jobs: they fail with the same error. Pieces of its async code still waiting run
        // here, and find that error.
        let stranded = jobs
        jobs.removeAll()
        condition.unlock()
        for job in stranded { job(.failed(Self.endedError(result))) }
        waiting?.resume(with: result)
    }

    /// Why a job cannot run once the access is over.
    private static func endedError(_ outcome: Result<Void, any Error>) -> any Error {
        if case .failure(let error) = outcome { return error }
        return StoreError(.corrupt, "a store session was used after it ended", backend: SQLiteBridgeStore.backend)
    }
}
