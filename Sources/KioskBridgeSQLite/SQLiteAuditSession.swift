import Foundation
import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Reading the trail's chain in SQLite, on one snapshot.
final class SQLiteAuditSession: AuditSession, @unchecked Sendable {
    let connection: ConfinedConnection
    private var rows: BulkStatement?

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    func forEachTrailRow(chunk: Int, _ body: ([TrailRow]) async throws -> Void) async throws {
        try await connection.run { db in
            let statement = try BulkStatement(db, sql: """
                SELECT id, at, subject, subject_id, through_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash
                FROM trail ORDER BY id
                """, columns: ["id", "at", "subject", "subject_id", "through_id", "event", "cause", "file_id", "batch_id", "cycle_id",
                               "content_hash", "chain_hash"])
            statement.open()
            self.rows = statement
        }
        while true {
            let run = try await connection.run { _ in try self.read(upTo: max(1, chunk)) }
            if !run.isEmpty { try await body(run) }
            if run.count < max(1, chunk) { return }
        }
    }

    private func read(upTo count: Int) throws -> [TrailRow] {
        guard let statement = rows else { return [] }
        var run: [TrailRow] = []
        while run.count < count, let row = try statement.step() {
            let entry = TrailRowContent(at: Instant(millisecondsSinceEpoch: row.int(1)), subject: row.text(2), subjectID: Int64(row.int(3)),
                                        through: row.optionalInt(4).map(Int64.init), event: row.text(5), cause: row.text(6),
                                        file: row.optionalInt(7).map(Int64.init), batch: row.optionalInt(8).map(Int64.init),
                                        cycle: row.optionalInt(9).map(Int64.init))
            run.append(TrailRow(id: Int64(row.int(0)), entry: entry, contentHash: row.blob(10), chainHash: row.blob(11)))
        }
        return run
    }

    func trailHead() async throws -> TrailHead? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: "SELECT id, chain_hash FROM trail ORDER BY id DESC LIMIT 1").map { row in
                TrailHead(rowID: row["id"], sha256: TrailChain.hex([UInt8]((row["chain_hash"] as Data?) ?? Data())))
            }
        }
    }

    func chainHashes(of rows: [Int64]) async throws -> [Int64: String] {
        try await connection.run { db in
            var hashes: [Int64: String] = [:]
            let statement = try db.cachedStatement(sql: "SELECT chain_hash FROM trail WHERE id = ?")
            for id in Set(rows) {
                if let data = try Data.fetchOne(statement, arguments: [id]) { hashes[id] = TrailChain.hex([UInt8](data)) }
            }
            return hashes
        }
    }

    func archivedHeads() async throws -> [ArchivedHead] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT archive_path, trail_head_id, trail_head_hash FROM export_batch
                WHERE state = 'published' AND trail_head_id IS NOT NULL ORDER BY id
                """).map { row in
                ArchivedHead(archivePath: row["archive_path"], head: TrailHead(rowID: row["trail_head_id"], sha256: row["trail_head_hash"]))
            }
        }
    }
}
