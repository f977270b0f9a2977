import Crypto
import Foundation
import GRDB
import KioskBridgeCore

/// The hash chain through the trail.
///
/// Every trail row carries the SHA-256 of its own content and a chain hash over that and
/// the previous row's chain hash. Changing a row, removing one or slipping one in breaks
/// the chain from that row on, and `audit verify` names the first row that does not fit.
/// The chain head is also written where it cannot be changed with the database (beside
/// each archived export file, and in each cycle's printed summary), so even a rewrite of
/// the whole chain is caught against what was already sent out.
struct TrailChain {
    static let genesis = [UInt8](repeating: 0, count: 32)

    let db: Database
    private(set) var lastID: Int64
    private(set) var lastHash: [UInt8]

    /// Starts from the current end of the chain (inside the caller's write transaction).
    init(_ db: Database) throws {
        self.db = db
        if let row = try Row.fetchOne(db, sql: "SELECT id, chain_hash FROM trail ORDER BY id DESC LIMIT 1") {
            lastID = row[0]
            lastHash = (row[1] as Data?).map { [UInt8]($0) } ?? TrailChain.genesis
        } else {
            lastID = 0
            lastHash = TrailChain.genesis
        }
    }

    /// The bytes a row's content hash is taken over: every column, in order, separated by
    /// the ASCII unit separator, absent values marked as such.
    static func content(id: Int64, at: Int, subject: String, subjectID: Int64, event: String, cause: String,
                        file: Int64?, batch: Int64?, cycle: Int64?) -> [UInt8] {
        func optional(_ value: Int64?) -> String { value.map(String.init) ?? "-" }
        let fields = [String(id), String(at), subject, String(subjectID), event, cause, optional(file), optional(batch), optional(cycle)]
        return Array(fields.joined(separator: "\u{1F}").utf8)
    }

    static func chain(previous: [UInt8], contentHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: contentHash)
        return Array(hasher.finalize())
    }

    mutating func append(at: Instant, _ subject: String, _ subjectID: Int64, _ event: String, cause: String,
                         file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) throws {
        let id = lastID + 1
        let contentHash = Array(SHA256.hash(data: Self.content(
            id: id, at: at.millisecondsSinceEpoch, subject: subject, subjectID: subjectID, event: event, cause: cause,
            file: file, batch: batch, cycle: cycle)))
        let chainHash = Self.chain(previous: lastHash, contentHash: contentHash)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO trail (id, at, subject, subject_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [id, at.millisecondsSinceEpoch, subject, subjectID, event, cause, file, batch, cycle,
                                          Data(contentHash), Data(chainHash)])
        lastID = id
        lastHash = chainHash
    }

    /// The chain head: the last row's id and chain hash in hex.
    var head: TrailHead { TrailHead(rowID: lastID, sha256: Self.hex(lastHash)) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}

/// Appends a transaction's trail rows, reading the end of the chain once (when the first
/// row is written) instead of once per row: a file of a million payments is a million rows.
/// One writer per session, and every trail row of that session's transaction goes through it.
final class TrailWriter {
    let db: Database
    private var chain: TrailChain?

    init(_ db: Database) {
        self.db = db
    }

    func append(at: Instant, _ subject: String, _ subjectID: Int64, _ event: String, cause: String,
                file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) throws {
        var current = try chain ?? TrailChain(db)
        try current.append(at: at, subject, subjectID, event, cause: cause, file: file, batch: batch, cycle: cycle)
        chain = current
    }

    /// The chain's end, including the rows written so far.
    func head() throws -> TrailHead {
        try (chain ?? TrailChain(db)).head
    }
}
