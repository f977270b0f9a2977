/// A fixed-width debtor import layout, described entirely in the configuration.
///
/// Each file is an optional header record, one record per export line, and an optional
/// trailer record; each record is a list of fields laid side by side. The operator writes
/// the layout agreed with the municipality's debtor system in `kioskbridge.toml`
/// (`deploy/profiles/` has an example), and no code changes when a municipality's
/// layout does.
public struct FixedWidthLayout: Hashable, Sendable {
    public enum LineEnding: String, Hashable, Sendable {
        case crlf = "CRLF"
        case lf = "LF"

        var bytes: [UInt8] { self == .crlf ? [13, 10] : [10] }
    }

    public enum Encoding: String, Hashable, Sendable {
        case utf8 = "UTF-8"
        case latin1 = "ISO-8859-1"
    }

    public var header: [FixedWidthField]
    public var line: [FixedWidthField]
    public var trailer: [FixedWidthField]
    public var lineEnding: LineEnding
    public var encoding: Encoding
    public var fileExtension: String

    public init(header: [FixedWidthField], line: [FixedWidthField], trailer: [FixedWidthField],
                lineEnding: LineEnding = .crlf, encoding: Encoding = .latin1, fileExtension: String = "txt") {
        self.header = header
        self.line = line
        self.trailer = trailer
        self.lineEnding = lineEnding
        self.encoding = encoding
        self.fileExtension = fileExtension
    }

    /// The width of each kind of record, for the documentation and for checks.
    public var recordWidths: (header: Int, line: Int, trailer: Int) {
        (header.reduce(0) { $0 + $1.width }, line.reduce(0) { $0 + $1.width }, trailer.reduce(0) { $0 + $1.width })
    }
}
