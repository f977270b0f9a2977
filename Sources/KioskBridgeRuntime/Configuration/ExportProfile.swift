import KioskBridgeCore
public import KioskBridgeFormats
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
    /// camt054: which generation of the standard.
    public var version: Camt054Version = .v02
    /// camt054: an XML Schema file to validate against instead of the bridge's own (absolute).
    public var schema: String?
    /// camt054: the account the notifications are about (`Ntfctn/Acct`).
    public var account = "kioskbridge"
    /// fixed: the layout.
    public var layout: FixedWidthLayout?

    public init(name: String, kind: Kind, prefix: String, outbox: String, doneMarker: Bool = false, emptyFiles: Bool = false) {
        self.name = name
        self.kind = kind
        self.prefix = prefix
        self.outbox = outbox
        self.doneMarker = doneMarker
        self.emptyFiles = emptyFiles
    }

    /// The FBS worklist: csv layout, its own series, in the worklist folder.
    public static func fbsWorklist(folder: String) -> ExportProfile {
        ExportProfile(name: "fbs-worklist", kind: .csv, prefix: "fbs-worklist", outbox: folder)
    }

    public var isWorklist: Bool { name == "fbs-worklist" }

    /// The extension of the profile's files.
    public var fileExtension: String {
        switch kind {
        case .csv: "csv"
        case .camt054: "xml"
        case .fixed: layout?.fileExtension ?? "txt"
        }
    }

    /// The series the store keeps for this profile.
    public var series: ExportSeries {
        ExportSeries(name: name, channel: isWorklist ? .fbs : .debtor, prefix: prefix, fileExtension: fileExtension)
    }

    /// The renderer for this profile's files. Compiles the camt.054 schema, so a schema
    /// that cannot be used is found when the configuration is read.
    public func renderer() throws -> any ExportRendering {
        switch kind {
        case .csv:
            return CSVExportRenderer()
        case .camt054:
            let compiled = try schema.map { path throws(XMLSchema.CompileError) in try XMLSchema(file: path) } ?? version.ownSchema()
            return Camt054Renderer(version: version, account: account, schema: compiled)
        case .fixed:
            return FixedWidthRenderer(layout: layout ?? FixedWidthLayout(header: [], line: [], trailer: []))
        }
    }
}
