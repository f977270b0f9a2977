import Crypto
import Foundation
import GRDB
import KioskBridgeCore

extension SQLiteStoreReader {
    func verifyTrail() throws -> TrailVerification {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, at, subject, subject_id, event, cause, file_id, batch_id, cycle_id, content_hash, chain_hash, through_id
            FROM trail ORDER BY id
            """)
        var expectedID: Int64 = 1
        var previous = TrailChain.genesis
        var checked = 0
        var head: TrailHead?
        var chainByID: [Int64: String] = [:]
        let recorded = try archivedHeads()
        let wanted = Set(recorded.map(\.head.rowID))
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            let through: Int64? = row[11]
            let subjects = "\(row[3] as Int64)" + (through.map { "-\($0)" } ?? "")
            let description = "trail row \(id) (\(row[2] as String) \(subjects) \(row[4] as String) at \(Timestamp.format(Instant(row: row[1]))))"
            if id != expectedID {
                return TrailVerification(rowsChecked: checked, head: head, problem: id > expectedID
                    ? "trail row\(id - expectedID == 1 ? "" : "s") \(expectedID)\(id - expectedID == 1 ? "" : "-\(id - 1)") missing before \(description): removed from the trail"
                    : "\(description) is out of order")
            }
            let content = TrailChain.content(id: id, at: row[1], subject: row[2], subjectID: row[3], through: through, event: row[4], cause: row[5],
                                             file: row[6], batch: row[7], cycle: row[8])
            let contentHash = Array(SHA256.hash(data: content))
            let storedContent = (row[9] as Data?).map { [UInt8]($0) } ?? []
            let storedChain = (row[10] as Data?).map { [UInt8]($0) } ?? []
            if contentHash != storedContent {
                return TrailVerification(rowsChecked: checked, head: head, problem: "\(description) does not fit: its content was changed after it was written")
            }
            let chain = TrailChain.chain(previous: previous, contentHash: contentHash)
            if chain != storedChain {
                return TrailVerification(rowsChecked: checked, head: head, problem: "\(description) does not fit the row before it: a row was inserted, removed or rewritten there")
            }
            previous = chain
            head = TrailHead(rowID: id, sha256: TrailChain.hex(chain))
            if wanted.contains(id) { chainByID[id] = TrailChain.hex(chain) }
            checked += 1
            expectedID = id + 1
        }
        for entry in recorded where chainByID[entry.head.rowID] != entry.head.sha256 {
            return TrailVerification(rowsChecked: checked, head: head, problem:
                "the chain head recorded when \((entry.archivePath as NSString).lastPathComponent) was exported (\(entry.head)) no longer matches the trail: the trail was rewritten after that export")
        }
        return TrailVerification(rowsChecked: checked, head: head, problem: nil)
    }

    func trailHead() throws -> TrailHead? {
        try Row.fetchOne(db, sql: "SELECT id, chain_hash FROM trail ORDER BY id DESC LIMIT 1").map { row in
            TrailHead(rowID: row[0], sha256: TrailChain.hex((row[1] as Data?).map { [UInt8]($0) } ?? []))
        }
    }

    func chainHashes(of rows: [Int64]) throws -> [Int64: String] {
        var hashes: [Int64: String] = [:]
        let statement = try db.cachedStatement(sql: "SELECT chain_hash FROM trail WHERE id = ?")
        for id in Set(rows) {
            if let data = try Data.fetchOne(statement, arguments: [id]) { hashes[id] = TrailChain.hex([UInt8](data)) }
        }
        return hashes
    }

    func archivedHeads() throws -> [(archivePath: String, head: TrailHead)] {
        try Row.fetchAll(db, sql: """
            SELECT archive_path, trail_head_id, trail_head_hash FROM export_batch
            WHERE state = 'published' AND trail_head_id IS NOT NULL ORDER BY id
            """).map { row in (row[0], TrailHead(rowID: row[1], sha256: row[2])) }
    }
}
