import Foundation
import GRDB
import KioskBridgeCore
import KioskBridgeStore

/// A session's trail rows: gathered while it works, chained onto the end of the trail and
/// written before it commits (or earlier, when many have gathered).
///
/// SQLite has one writer at a time, so the end of the chain read here cannot move before
/// the commit. Like the session it belongs to, it is used by its connection's thread only.
final class SQLiteTrail: @unchecked Sendable {
    private let buffer = TrailBuffer()

    func append(at: Instant, _ subject: String, _ subjectID: Int64, _ event: String, cause: String,
                file: Int64? = nil, batch: Int64? = nil, cycle: Int64? = nil) {
        buffer.append(TrailRowContent(at: at, subject: subject, subjectID: subjectID, event: event, cause: cause,
                                      file: file, batch: batch, cycle: cycle))
    }

    /// The rows gathered so far, to put back with ``restore(_:)`` if a savepoint is rolled back.
    var gathered: [TrailRowContent] { buffer.gathered }

    func restore(_ rows: [TrailRowContent]) {
        buffer.restore(rows)
    }

    /// Writes what has gathered once it is many rows (called between a session's steps).
    func flushIfLarge(_ db: Database) throws {
        if buffer.count >= TrailBuffer.flushThreshold { try flush(db) }
    }

    /// Writes every gathered row.
    func flush(_ db: Database) throws {
        guard !buffer.isEmpty else { return }
        let end = try Row.fetchOne(db, sql: "SELECT id, chain_hash FROM trail ORDER BY id DESC LIMIT 1").map { row in
            (id: row["id"] as Int64, chainHash: [UInt8]((row["chain_hash"] as Data?) ?? Data()))
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO trail (id, at, subject, subject_id, through_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for row in buffer.seal(after: end) {
            let entry = row.entry
            try insert.execute(arguments: [row.id, entry.at.millisecondsSinceEpoch, entry.subject, entry.subjectID, entry.through,
                                           entry.event, entry.cause, entry.file, entry.batch, entry.cycle,
                                           Data(row.contentHash), Data(row.chainHash)])
        }
    }
}

/// A store session whose trail rows are written before its transaction commits.
protocol TrailWritingSession {
    var trail: SQLiteTrail { get }
}
