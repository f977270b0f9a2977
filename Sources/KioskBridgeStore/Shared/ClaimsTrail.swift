public import KioskBridgeCore

/// What a snapshot's trail row says: the same words on every backend.
public enum ClaimsTrail {
    public static func loaded(_ snapshot: StoredSnapshot) -> String {
        "\(snapshot.fileName) as of \(Timestamp.format(snapshot.asOf)): \(snapshot.claims) claims, outstanding \(snapshot.outstanding), \(snapshot.appliedRecords) applied payments"
    }
}
