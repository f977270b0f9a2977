import Dispatch

/// A task executor with a thread of its own, for the simulator and the tests that talk to it.
///
/// The test suite runs on two cores, where the shared concurrency pool has two threads;
/// end-to-end tests wait synchronously for the bridge's processes on those threads for
/// seconds at a time. A test that expects an answer within a fault's short timeout must
/// not wait for them, so the simulator's server and such a test run here instead.
public final class FBSSimulatorExecutor: TaskExecutor {
    private let queue: DispatchQueue

    public init(label: String = "fbs-simulator") {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
