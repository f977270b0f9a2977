import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Pseudonymising old personal data in SQLite.
final class SQLitePurgeSession: PurgeSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    func pseudonymise(before cutoff: Instant, pseudonym: @escaping @Sendable (String) -> String, at: Instant) async throws -> PurgeResult {
        try await connection.run { db in
            // Overwrite freed space, so the old numbers do not linger in unused pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            var result = PurgeResult()
            let payments = try Row.fetchAll(db, sql: """
                SELECT p.id, p.payer FROM payment p
                WHERE p.payer_kind = 'CPR' AND p.payer NOT LIKE '\(PurgeRules.pseudonymPrefix)%'
                  AND COALESCE((SELECT MIN(b.created_at) FROM allocation_part a
                                JOIN export_batch_run r ON r.cycle_id = a.cycle_id
                                JOIN export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                                WHERE a.payment_id = p.id AND b.state = 'published'),
                               CASE WHEN p.state = 'voided' THEN p.booked_at END) < ?
                """, arguments: [cutoff.millisecondsSinceEpoch])
            let updatePayment = try db.cachedStatement(sql: "UPDATE payment SET payer = ? WHERE id = ?")
            for row in payments {
                try updatePayment.execute(arguments: [pseudonym(row["payer"]), row["id"] as Int64])
                result.payments += 1
            }
            let records = try Row.fetchAll(db, sql: """
                SELECT id, payer_text, payer FROM rejected_record
                WHERE rejected_at < ? AND payer_text IS NOT NULL AND payer_text NOT LIKE '\(PurgeRules.pseudonymPrefix)%'
                """, arguments: [cutoff.millisecondsSinceEpoch])
            let updateRecord = try db.cachedStatement(sql: "UPDATE rejected_record SET payer_text = ?, payer = ? WHERE id = ?")
            for row in records {
                let key: String? = row["payer"]
                let hashed = pseudonym(key ?? row["payer_text"])
                try updateRecord.execute(arguments: [hashed, key == nil ? nil : hashed, row["id"] as Int64])
                result.rejectedRecords += 1
            }
            // A till's record of a payment is long filed and booked by then: only its copy of the number remains.
            let tillRecords = try Row.fetchAll(db, sql: """
                SELECT id, payer FROM till_record WHERE taken_at < ? AND length(payer) = 10 AND payer NOT LIKE '\(PurgeRules.pseudonymPrefix)%'
                """, arguments: [cutoff.millisecondsSinceEpoch])
            let updateTill = try db.cachedStatement(sql: "UPDATE till_record SET payer = ? WHERE id = ?")
            for row in tillRecords {
                try updateTill.execute(arguments: [pseudonym(row["payer"]), row["id"] as Int64])
                result.tillRecords += 1
            }
            return result
        }
    }

    func purgeableFiles(before cutoff: Instant) async throws -> PurgeableFiles {
        try await connection.run { db in
            var files = PurgeableFiles()
            files.kioskFiles = try String.fetchAll(db, sql: """
                SELECT stored_path FROM kiosk_file WHERE received_at < ? AND stored_path IS NOT NULL ORDER BY id
                """, arguments: [cutoff.millisecondsSinceEpoch])
            files.exportCopies = try String.fetchAll(db, sql: """
                SELECT archive_path FROM export_batch WHERE created_at < ? AND archive_path IS NOT NULL ORDER BY id
                """, arguments: [cutoff.millisecondsSinceEpoch])
            return files
        }
    }

    func notePurge(_ text: String, at: Instant) async throws {
        try await connection.run { _ in self.trail.append(at: at, "purge", 1, "pseudonymised", cause: text) }
    }
}
