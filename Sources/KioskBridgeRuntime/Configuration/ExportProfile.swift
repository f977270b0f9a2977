import KioskBridgeCore
public import KioskBridgeStore

/// One `[[export]]` table: a series of debtor import files in one layout.
public struct ExportProfile: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case csv
        case camt054
        case fixed
    }

    /// The series' stable name (`name` key, default the prefix): its sequence numbers
    /// belong to it.
    public var name: String
    public var kind: Kind
    public var prefix: String
    /// Absolute path of the folder the debtor reads.
    public var outbox: String
    public var doneMarker: Bool
    public var emptyFiles: Bool
    /// camt054: `camt.054.001.02` or `camt.054.001.08`.
    public var version: String?
    /// camt054: an XML Schema file to validate against instead of the bridge's own.
    public var schema: String?

    public init(name: String, kind: Kind, prefix: String, outbox: String, doneMarker: Bool = false, emptyFiles: Bool = false,
                version: String? = nil, schema: String? = nil) {
        self.name = name
        self.kind = kind
        self.prefix = prefix
        self.outbox = outbox
        self.doneMarker = doneMarker
        self.emptyFiles = emptyFiles
        self.version = version
        self.schema = schema
    }

    /// The FBS worklist: csv layout, its own series, in the worklist folder.
    public static func fbsWorklist(folder: String) -> ExportProfile {
        ExportProfile(name: "fbs-worklist", kind: .csv, prefix: "fbs-worklist", outbox: folder)
    }
}
