/// What a snapshot says about itself: who sent it and which moment it reflects.
public struct ClaimsSnapshotHeader: Hashable, Sendable {
    public let source: ClaimSource
    public let asOf: Instant

    public init(source: ClaimSource, asOf: Instant) {
        self.source = source
        self.asOf = asOf
    }
}

/// A `P` record: a payment (or void) of the bridge that the source has already applied,
/// so its amount is already inside the snapshot's outstanding amounts.
public struct AppliedTransaction: Hashable, Sendable {
    public let kioskID: KioskID
    public let transactionID: String

    public init(kioskID: KioskID, transactionID: String) {
        self.kioskID = kioskID
        self.transactionID = transactionID
    }
}

/// The rule that a newer snapshot replaces an older one of the same source, and an older
/// one is refused: loading last night's file after this morning's must not bring paid
/// claims back.
public enum SnapshotReplacement {
    public enum Verdict: Equatable, Sendable {
        case load
        case refuseOlder(loaded: Instant)
    }

    public static func judge(incoming: ClaimsSnapshotHeader, loadedAsOf: Instant?) -> Verdict {
        guard let loadedAsOf, incoming.asOf < loadedAsOf else { return .load }
        return .refuseOlder(loaded: loadedAsOf)
    }
}
