/// The header of a kiosk file: which kiosk, which of its files, when it was written.
///
/// The header, not the file name, is what counts: files are ordered, deduplicated and
/// checked for gaps by the kiosk id and sequence number found here.
public struct KioskFileHeader: Hashable, Sendable {
    public let kioskID: KioskID
    public let location: String
    public let sequence: Int
    public let createdAt: Instant

    public init(kioskID: KioskID, location: String, sequence: Int, createdAt: Instant) {
        self.kioskID = kioskID
        self.location = location
        self.sequence = sequence
        self.createdAt = createdAt
    }

    /// Checks the header fields as read from either format. Any problem rejects the file.
    public init(version: String?, kioskID: String?, location: String?, sequence: String?, createdAt: String?,
                line: Int, column: Int? = nil, xml: Bool = false) throws(IntakeProblem) {
        func problem(_ field: RecordField, _ found: String?, _ expected: String) -> IntakeProblem {
            IntakeProblem(.badHeader, line: line, column: column, field: field, found: found, expected: expected, xml: xml)
        }
        guard let version, version == "1" else {
            throw problem(RecordField.Header.formatVersion, version ?? "", "format version 1")
        }
        guard let kioskText = kioskID, let kiosk = KioskID(kioskText) else {
            throw problem(RecordField.Header.kioskID, kioskID ?? "", KioskID.expectation)
        }
        guard let sequenceText = sequence, !sequenceText.isEmpty, sequenceText.utf8.count <= 18,
              sequenceText.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let number = Int(sequenceText), number > 0 else {
            throw problem(RecordField.Header.sequence, sequence ?? "", "a positive whole number")
        }
        let location = location ?? ""
        if let issue = Self.locationProblem(location) { throw problem(RecordField.Header.location, location, issue) }
        let created: Instant
        switch Timestamp.parse(createdAt ?? "") {
        case .success(let instant): created = instant
        case .failure(let reason):
            throw problem(RecordField.Header.createdAt, createdAt ?? "", Timestamp.expectation + " (\(reason))")
        }
        self.init(kioskID: kiosk, location: location, sequence: number, createdAt: created)
    }

    /// The most characters a location name may have: it is kept with every payment of the
    /// file and shown on reports and the desk's pages.
    public static let maximumLocationLength = 200

    /// Nil when acceptable; otherwise what was expected.
    static func locationProblem(_ location: String) -> String? {
        let scalars = location.unicodeScalars
        if scalars.count > maximumLocationLength || scalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "a location name of at most \(maximumLocationLength) printable characters"
        }
        return nil
    }
}
