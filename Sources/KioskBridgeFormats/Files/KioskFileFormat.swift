/// The two encodings of the kiosk format, told apart by the file's extension.
public enum KioskFileFormat: String, Sendable {
    case csv
    case xml

    /// `*.csv` and `*.txt` are CSV, `*.xml` is XML (any letter case); nil otherwise.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
            self = .csv
        } else if lower.hasSuffix(".xml") {
            self = .xml
        } else {
            return nil
        }
    }

    /// Opens a reader for the file, which must be a regular file (a link is not followed).
    public static func reader(for path: String, format: KioskFileFormat, encoding: TextEncoding,
                              schema: () throws -> XMLSchema) throws -> any KioskFileReading {
        switch format {
        case .csv: return KioskCSVReader(source: try ByteSource(regularFileAt: path), encoding: encoding)
        case .xml: return try KioskXMLReader(path: path, schema: try schema())
        }
    }
}
