/// What a claim really still owes, once the bridge's own payments are counted.
///
/// A snapshot is taken at one moment; payments the bridge exported after that moment
/// (or that the source has not applied yet) are not in it. Counting them again would pay
/// the same øre twice; ignoring them would let two cycles take the same claim. So:
/// effective = snapshot outstanding − unreflected allocations + unreflected reversals,
/// never below zero.
public enum EffectiveOutstanding {
    /// What the snapshot of a claim's source can say about the bridge's payments.
    public struct SnapshotEvidence: Sendable {
        public let asOf: Instant
        /// Whether the snapshot carries any `P` records at all.
        public let hasAppliedRecords: Bool

        public init(asOf: Instant, hasAppliedRecords: Bool) {
            self.asOf = asOf
            self.hasAppliedRecords = hasAppliedRecords
        }
    }

    /// One allocated part (or reversed part) the bridge made on a claim.
    public struct BridgePart: Sendable {
        /// Positive for a payment's part, negative for a reversal's part.
        public let signedAmount: Amount
        /// When the payment (or reversal) was first exported; nil if not yet.
        public let exportedAt: Instant?
        /// Whether the snapshot lists the payment (or void) in a `P` record.
        public let listedAsApplied: Bool

        public init(signedAmount: Amount, exportedAt: Instant?, listedAsApplied: Bool) {
            self.signedAmount = signedAmount
            self.exportedAt = exportedAt
            self.listedAsApplied = listedAsApplied
        }
    }

    /// Reflected = listed in a `P` record; or, where the snapshot has no `P` records at
    /// all, exported before the snapshot's as-of time.
    public static func isReflected(_ part: BridgePart, in snapshot: SnapshotEvidence) -> Bool {
        if snapshot.hasAppliedRecords { return part.listedAsApplied }
        guard let exportedAt = part.exportedAt else { return false }
        return exportedAt < snapshot.asOf
    }

    public static func amount(outstanding: Amount, parts: [BridgePart], snapshot: SnapshotEvidence) -> Amount {
        var effective = outstanding
        for part in parts where !isReflected(part, in: snapshot) {
            effective -= part.signedAmount
        }
        return max(effective, .zero)
    }
}
