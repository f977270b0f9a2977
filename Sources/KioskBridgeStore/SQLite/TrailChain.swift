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
    /// the ASCII unit separator, absent values marked as such. `through` (the last subject
    /// of a row that covers a run of them) is added only where it is set, so rows written
    /// before it existed hash as they did.
    static func content(id: Int64, at: Int, subject: String, subjectID: Int64, through: Int64? = nil, event: String, cause: String,
                        file: Int64?, batch: Int64?, cycle: Int64?) -> [UInt8] {
        func optional(_ value: Int64?) -> String { value.map(String.init) ?? "-" }
        var fields = [String(id), String(at), subject, String(subjectID), event, cause, optional(file), optional(batch), optional(cycle)]
        if let through { fields.append("through \(through)") }
        return Array(fields.joined(separator: "\u{1F}").utf8)
    }

    static func chain(previous: [UInt8], contentHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: contentHash)
        return Array(hasher.finalize())
    }

    mutating func append(at: Instant, _ subject: String, _ subjectID: Int64, through: Int64? = nil, _ event: String, cause: String,
                         file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) throws {
        let id = lastID + 1
        let contentHash = Array(SHA256.hash(data: Self.content(
            id: id, at: at.millisecondsSinceEpoch, subject: subject, subjectID: subjectID, through: through, event: event, cause: cause,
            file: file, batch: batch, cycle: cycle)))
        let chainHash = Self.chain(previous: lastHash, contentHash: contentHash)
        let statement = try db.cachedStatement(sql: """
            INSERT INTO trail (id, at, subject, subject_id, through_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [id, at.millisecondsSinceEpoch, subject, subjectID, through, event, cause, file, batch, cycle,
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
/// row is written) instead of once per row.
///
/// The same change to a run of subjects in a row (the payments booked from one file, the
/// allocation parts written in one cycle) is one trail row that names the first and the last
/// of them, not a row each: a file of a million payments would otherwise be a million rows
/// and a million hashes. A run is written when something else is appended, and when the
/// session ends (`finish()`), so the order of the trail is the order of the changes.
/// One writer per session, and every trail row of that session's transaction goes through it.
final class TrailWriter {
    let db: Database
    private var chain: TrailChain?
    private var run: Run?

    /// A run of consecutive subjects that had the same change.
    private struct Run {
        let at: Instant
        let subject: String
        let first: Int64
        var last: Int64
        let event: String
        let cause: String
        var count: Int
        let noun: String
        let file: Int64?
        let cycle: Int64?

        func matches(at: Instant, subject: String, first: Int64, event: String, cause: String, file: Int64?, cycle: Int64?) -> Bool {
            self.at == at && self.subject == subject && first == last + 1 && self.event == event && self.cause == cause
                && self.file == file && self.cycle == cycle
        }
    }

    init(_ db: Database) {
        self.db = db
    }

    func append(at: Instant, _ subject: String, _ subjectID: Int64, _ event: String, cause: String,
                file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) throws {
        try finish()
        try write(at: at, subject, subjectID, through: nil, event, cause: cause, file: file, batch: batch, cycle: cycle)
    }

    /// Notes that subjects `first...last` had `event`, extending the current run when it is
    /// the same change to the subjects just before. `count` is how many of `noun` that is
    /// (the parts of one payment are one payment), and is said in the row's cause; `noun` is
    /// singular.
    func extend(at: Instant, _ subject: String, _ first: Int64, through last: Int64, _ event: String, cause: String,
                count: Int, of noun: String, file: Int64? = nil, cycle: Int64? = nil) throws {
        if var current = run, current.matches(at: at, subject: subject, first: first, event: event, cause: cause, file: file, cycle: cycle) {
            current.last = last
            current.count += count
            run = current
            return
        }
        try finish()
        run = Run(at: at, subject: subject, first: first, last: last, event: event, cause: cause, count: count, noun: noun,
                  file: file, cycle: cycle)
    }

    /// Writes the open run, if any. Called before any other row and when the session ends.
    func finish() throws {
        guard let current = run else { return }
        run = nil
        try write(at: current.at, current.subject, current.first, through: current.last, current.event,
                  cause: "\(current.cause): \(current.count) \(current.noun)\(current.count == 1 ? "" : "s")", file: current.file, batch: nil, cycle: current.cycle)
    }

    private func write(at: Instant, _ subject: String, _ subjectID: Int64, through: Int64?, _ event: String, cause: String,
                       file: Int64?, batch: Int64?, cycle: Int64?) throws {
        var current = try chain ?? TrailChain(db)
        try current.append(at: at, subject, subjectID, through: through, event, cause: cause, file: file, batch: batch, cycle: cycle)
        chain = current
    }
}

/// A store session that writes the trail through its own writer.
protocol TrailWritingSession {
    var trail: TrailWriter { get }
}

extension SQLiteIntakeSession: TrailWritingSession {}
extension SQLiteCycleSession: TrailWritingSession {}
extension SQLiteClaimsSession: TrailWritingSession {}
extension SQLiteDeskSession: TrailWritingSession {}
