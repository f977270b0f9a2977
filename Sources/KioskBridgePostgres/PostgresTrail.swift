import KioskBridgeCore
import KioskBridgeStore
import NIOCore

/// A session's trail rows: gathered while it works, chained onto the end of the trail and
/// written right before it commits (or earlier, when many have gathered).
///
/// Several writers share the trail (the desk's access log beside a cycle): the end of the
/// chain is a row of its own, locked from the moment a transaction reads it until that
/// transaction commits. Rows are chained only at the end, so the lock is held for the few
/// milliseconds of writing them, not for a whole cycle.
final class PostgresTrail {
    private let buffer = TrailBuffer()

    static let columns = ["id", "at", "subject", "subject_id", "through_id", "event", "cause", "file_id", "batch_id", "cycle_id",
                          "content_hash", "chain_hash"]

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
    func flushIfLarge(_ transaction: PostgresTransaction) async throws {
        if buffer.count >= TrailBuffer.flushThreshold { try await flush(transaction) }
    }

    /// Writes every gathered row after the end of the chain, and moves the end.
    func flush(_ transaction: PostgresTransaction) async throws {
        guard !buffer.isEmpty else { return }
        guard let end = try await transaction.row("SELECT last_id, chain_hash FROM §trail_end FOR UPDATE") else {
            throw StoreError(.corrupt, "the trail's end row is missing (trail_end)", backend: PostgresBridgeStore.backend)
        }
        let lastID = try end.int64("last_id")
        let previous = lastID == 0 ? nil : (id: lastID, chainHash: try end.bytes("chain_hash"))
        let rows = buffer.seal(after: previous)
        guard let last = rows.last else { return }
        try await transaction.copy(into: "trail", columns: Self.columns, rows) { row, text in
            let entry = row.entry
            text.add(row.id)
            text.add(entry.at.millisecondsSinceEpoch)
            text.add(entry.subject)
            text.add(entry.subjectID)
            text.add(entry.through)
            text.add(entry.event)
            text.add(entry.cause)
            text.add(entry.file)
            text.add(entry.batch)
            text.add(entry.cycle)
            text.add(bytes: row.contentHash)
            text.add(bytes: row.chainHash)
        }
        try await transaction.execute("UPDATE §trail_end SET last_id = \(last.id), chain_hash = \(ByteBuffer(bytes: last.chainHash))")
    }
}

/// A store session whose trail rows are written before its transaction commits.
protocol PostgresTrailSession: AnyObject {
    var trail: PostgresTrail { get }
}
