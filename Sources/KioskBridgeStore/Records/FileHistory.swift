public import KioskBridgeCore

/// What the accepted files already say about a file being taken in: whether its content
/// was accepted before (a duplicate), whether its kiosk's sequence number was (a conflict),
/// and the highest sequence number accepted below it (a gap, when it is not the one before).
public struct FileHistory: Sendable, Hashable {
    /// A file's kiosk and sequence number, as its header gives them.
    public struct Sequence: Sendable, Hashable {
        public var kioskID: KioskID
        public var number: Int

        public init(kioskID: KioskID, number: Int) {
            self.kioskID = kioskID
            self.number = number
        }
    }

    /// The first accepted file with the same content.
    public var sameContent: StoredFile?
    /// The accepted file with the same kiosk and sequence number (nil when not asked).
    public var sameSequence: StoredFile?
    /// The highest sequence number accepted for the kiosk below this file's (nil when not asked).
    public var highestSequenceBelow: Int?

    public init(sameContent: StoredFile? = nil, sameSequence: StoredFile? = nil, highestSequenceBelow: Int? = nil) {
        self.sameContent = sameContent
        self.sameSequence = sameSequence
        self.highestSequenceBelow = highestSequenceBelow
    }
}
