public import Logging

/// Logs how long each step of a run took, at debug level (`--log-level debug`): where the
/// time of a slow cycle goes, without a profiler.
public struct StepTimer {
    let logger: Logger
    let label: String
    private var last = ContinuousClock.now

    public init(logger: Logger, label: String) {
        self.logger = logger
        self.label = label
    }

    /// Logs the time since the previous step (or since the timer started).
    public mutating func step(_ name: String) {
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        logger.debug("\(label): \(name) took \(elapsed.wholeMilliseconds) ms")
    }
}
