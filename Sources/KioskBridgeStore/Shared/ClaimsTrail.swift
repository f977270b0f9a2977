public import KioskBridgeCore

/// What a snapshot's trail row says: the same words on every backend.
public enum ClaimsTrail {
    public static func loaded(_ snapshot: StoredSnapshot) -> String {
        "\(snapshot.fileName) as of \(Timestamp.format(snapshot.asOf)): \(snapshot.claims) claims, outstanding \(snapshot.outstanding), \(snapshot.appliedRecords) applied payments"
    }
}

extension ClaimsTrail {
    /// The trail row of a snapshot's confirmations (subject `confirmation`): it speaks for
    /// every payment and reversal it confirmed, as a batch's row speaks for what it carried.
    public static func confirmed(_ tally: ConfirmationTally, by snapshot: StoredSnapshot) -> String {
        let rule = snapshot.appliedRecords > 0 ? "listed in its P records" : "exported before its as-of time"
        return "confirmed by the debtor system: \(tally.payments) payment(s) and \(tally.reversals) reversal(s), \(tally.sum) in all, \(rule): \(snapshot.fileName) as of \(Timestamp.format(snapshot.asOf))"
    }
}
