/// The end of the trail's hash chain at a moment: kept outside the database (beside each
/// archived export file, in each cycle's summary) so that a rewritten chain is caught.
public struct TrailHead: Sendable, Hashable, CustomStringConvertible {
    public let rowID: Int64
    /// The chain hash of that row, in hex.
    public let sha256: String

    public init(rowID: Int64, sha256: String) {
        self.rowID = rowID
        self.sha256 = sha256
    }

    public var description: String { "trail row \(rowID) sha256 \(sha256)" }

    /// Reads the text written by ``description``.
    public init?(parsing text: String) {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard let row = words.firstIndex(of: "row"), row + 1 < words.count, let id = Int64(words[row + 1]),
              let sha = words.firstIndex(of: "sha256"), sha + 1 < words.count, words[sha + 1].count == 64 else { return nil }
        self.init(rowID: id, sha256: String(words[sha + 1]))
    }
}

/// What `audit verify` found.
public struct TrailVerification: Sendable, Hashable {
    public let rowsChecked: Int
    public let head: TrailHead?
    /// The first thing that does not fit, in plain words; nil when the chain is intact.
    public let problem: String?

    public init(rowsChecked: Int, head: TrailHead?, problem: String?) {
        self.rowsChecked = rowsChecked
        self.head = head
        self.problem = problem
    }
}
