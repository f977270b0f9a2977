import GRDB
import KioskBridgeCore

/// Values that have already been pseudonymised start with this; they are never hashed twice.
let pseudonymPrefix = "P:"

extension SQLiteCycleSession {
    func pseudonymise(before cutoff: Instant, pseudonym: (String) -> String, at: Instant) throws -> PurgeResult {
        // Overwrite freed space, so the old numbers do not linger in unused pages.
        try db.execute(sql: "PRAGMA secure_delete = ON")
        var result = PurgeResult()
        let payments = try Row.fetchAll(db, sql: """
            SELECT p.id, p.payer FROM payment p
            WHERE p.payer_kind = 'CPR' AND p.payer NOT LIKE 'P:%'
              AND COALESCE((SELECT MIN(b.created_at) FROM allocation_part a JOIN export_batch b
                            ON b.channel = a.channel AND b.after_part_id < a.id AND b.through_part_id >= a.id
                            WHERE a.payment_id = p.id AND b.state = 'published'),
                           CASE WHEN p.state = 'voided' THEN p.booked_at END) < ?
            """, arguments: [cutoff.millisecondsSinceEpoch])
        let updatePayment = try db.cachedStatement(sql: "UPDATE payment SET payer = ? WHERE id = ?")
        for row in payments {
            try updatePayment.execute(arguments: [pseudonym(row[1]), row[0] as Int64])
            result.payments += 1
        }
        let records = try Row.fetchAll(db, sql: """
            SELECT id, payer_text, payer FROM rejected_record
            WHERE rejected_at < ? AND payer_text IS NOT NULL AND payer_text NOT LIKE 'P:%'
            """, arguments: [cutoff.millisecondsSinceEpoch])
        let updateRecord = try db.cachedStatement(sql: "UPDATE rejected_record SET payer_text = ?, payer = ? WHERE id = ?")
        for row in records {
            let text: String = row[1]
            let key: String? = row[2]
            let hashed = pseudonym(key ?? text)
            try updateRecord.execute(arguments: [hashed, key == nil ? nil : hashed, row[0] as Int64])
            result.rejectedRecords += 1
        }
        return result
    }

    func purgeableFiles(before cutoff: Instant) throws -> PurgeableFiles {
        var files = PurgeableFiles()
        files.kioskFiles = try String.fetchAll(db, sql: """
            SELECT stored_path FROM kiosk_file WHERE received_at < ? AND stored_path IS NOT NULL ORDER BY id
            """, arguments: [cutoff.millisecondsSinceEpoch])
        files.exportCopies = try String.fetchAll(db, sql: """
            SELECT archive_path FROM export_batch WHERE created_at < ? AND archive_path IS NOT NULL ORDER BY id
            """, arguments: [cutoff.millisecondsSinceEpoch])
        return files
    }

    func notePurge(_ text: String, at: Instant) throws {
        try trail.append(at: at, "purge", 1, "pseudonymised", cause: text)
    }
}
