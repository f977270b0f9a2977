public import KioskBridgeCore
import Foundation

/// Where "now" comes from. Injected everywhere, so that `--now` can replay a day and
/// tests can pin time; nothing below the command line reads the system clock itself.
public protocol BridgeClock: Sendable {
    func now() -> Instant
}

/// The system's wall clock.
public struct SystemClock: BridgeClock {
    public init() {}
    public func now() -> Instant {
        Instant(millisecondsSinceEpoch: Int((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

/// Always the same instant: `--now` for one-shot commands.
public struct FixedClock: BridgeClock {
    public let instant: Instant
    public init(_ instant: Instant) { self.instant = instant }
    public func now() -> Instant { instant }
}

/// Starts at a given instant and runs on with real time: `--now` for `watch`.
public struct ShiftedClock: BridgeClock {
    private let offsetMilliseconds: Int
    public init(startingAt start: Instant, system: SystemClock = SystemClock()) {
        offsetMilliseconds = start.millisecondsSinceEpoch - system.now().millisecondsSinceEpoch
    }
    public func now() -> Instant { SystemClock().now().adding(milliseconds: offsetMilliseconds) }
}
