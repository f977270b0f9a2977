public import KioskBridgeCore

/// What a cycle's trail rows say: the same words on every backend.
public enum CycleTrail {
    /// One cycle's parts of one channel: what an export batch takes up whole.
    public struct Run: Hashable, Sendable {
        public let cycle: Int64
        public let channel: String

        public init(cycle: Int64, channel: String) {
            self.cycle = cycle
            self.channel = channel
        }
    }

    public static func describe(_ part: AllocationPart) -> String {
        switch part.kind {
        case .surplus: "surplus \(part.amount)"
        default: "\(part.claimID ?? "-") \(part.amount)\(part.channel == .fbs ? " (FBS)" : "")"
        }
    }

    public static func reversed(_ parts: [AllocationPart]) -> String {
        "reversal of " + parts.map(describe).joined(separator: ", ")
    }

    public static func allocated(payments: Int, parts: Int) -> String {
        "allocated \(payments) payment\(payments == 1 ? "" : "s") in \(parts) part\(parts == 1 ? "" : "s")"
    }

    public static func prepared(fileName: String, lines: Int, sum: Int) -> String {
        "\(fileName): \(lines) lines, sum \(Amount(ore: sum))"
    }

    public static func published(outboxPath: String, sha256: String, channel: PaymentChannel, cycles: [Int64]) -> String {
        let runs = cycles.isEmpty ? "no parts" : "parts of cycle\(cycles.count == 1 ? "" : "s") " + cycles.map(String.init).joined(separator: ", ")
        return "\(outboxPath) (sha256 \(sha256)): \(channel.rawValue) \(runs)"
    }

    public static func abandoned(fileName: String, reason: String) -> String {
        "\(fileName) not delivered, its parts are pending again: \(reason)"
    }
}

extension ExportedCounts {
    /// Counts the parts of the runs a cycle's batches delivered, each payment (and each
    /// reversed void) once, at its first part: a payment's parts, and a void's, are
    /// consecutive in a run's order.
    public struct Counter {
        let runs: Set<CycleTrail.Run>
        public private(set) var counts = ExportedCounts()
        private var previous: (payment: Int64, void: Int64?)?

        public init(runs: Set<CycleTrail.Run>) {
            self.runs = runs
        }

        public mutating func add(cycle: Int64, channel: String, payment: Int64, void: Int64?, kind: String, amount: Int) {
            guard runs.contains(CycleTrail.Run(cycle: cycle, channel: channel)) else { return }
            if previous.map({ $0.payment != payment || $0.void != void }) ?? true {
                if void == nil { counts.payments += 1 } else { counts.reversals += 1 }
            }
            previous = (payment, void)
            if kind == AllocationPart.Kind.surplus.rawValue {
                counts.surplusPayments += 1
                counts.surplusSum += Amount(ore: amount)
            }
        }
    }
}
