import KioskBridgeCore
import GRDB

final class SQLiteIntakeSession: IntakeSession {
    let db: Database

    let trail: TrailWriter

    private var paymentInsert: BulkStatement?
    private var seenQuery: BulkStatement?

    init(_ db: Database) {
        self.db = db
        trail = TrailWriter(db)
    }

    static let fileColumns = "id, name, sha256, kiosk_id, sequence, verdict, stored_path, received_at, reason"

    static func file(_ row: Row) -> StoredFile {
        StoredFile(id: row[0], name: row[1], sha256: row[2], kioskID: row[3], sequence: row[4],
                   verdict: FileVerdict(rawValue: row[5]) ?? .rejected, storedPath: row[6],
                   receivedAt: Instant(row: row[7]), reason: row[8])
    }

    func fileAwaitingMove(sha256: String, processingName: String) throws -> StoredFile? {
        try Row.fetchOne(db, sql: """
            SELECT \(Self.fileColumns) FROM kiosk_file
            WHERE sha256 = ? AND processing_name = ? AND moved_at IS NULL ORDER BY id DESC LIMIT 1
            """, arguments: [sha256, processingName]).map(Self.file)
    }

    func acceptedFile(sha256: String) throws -> StoredFile? {
        try Row.fetchOne(db, sql: "SELECT \(Self.fileColumns) FROM kiosk_file WHERE sha256 = ? AND verdict = 'accepted' ORDER BY id LIMIT 1",
                         arguments: [sha256]).map(Self.file)
    }

    func acceptedFile(kioskID: KioskID, sequence: Int) throws -> StoredFile? {
        try Row.fetchOne(db, sql: "SELECT \(Self.fileColumns) FROM kiosk_file WHERE kiosk_id = ? AND sequence = ? AND verdict = 'accepted'",
                         arguments: [kioskID.value, sequence]).map(Self.file)
    }

    func highestAcceptedSequence(kioskID: KioskID, below sequence: Int) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT MAX(sequence) FROM kiosk_file WHERE kiosk_id = ? AND verdict = 'accepted' AND sequence < ?",
                         arguments: [kioskID.value, sequence])
    }

    func recordFile(_ file: NewFileRecord, cause: String) throws -> RowID {
        try db.execute(sql: """
            INSERT INTO kiosk_file (name, processing_name, sha256, size, format, encoding, kiosk_id, location, sequence,
                                    created_at, received_at, verdict, duplicate_of, reason_code, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [file.name, file.processingName, file.sha256, file.size, file.format, file.encoding,
                             file.header?.kioskID.value, file.header?.location, file.header?.sequence,
                             file.header?.createdAt.millisecondsSinceEpoch, file.receivedAt.millisecondsSinceEpoch,
                             file.verdict.rawValue, file.duplicateOf, file.reasonCode, file.reason])
        let id = db.lastInsertedRowID
        try trail.append(at: file.receivedAt, "file", id, file.verdict.rawValue, cause: cause, file: id)
        return id
    }

    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?) throws {
        try db.execute(sql: """
            UPDATE kiosk_file SET records = ?, payments_booked = ?, payments_ore = ?, voids_booked = ?, records_rejected = ?,
                                  rejected_ore = ?, records_duplicate = ?, trailer_ore = ?
            WHERE id = ?
            """, arguments: [tally.records, tally.paymentsBooked, tally.paymentsSum.ore, tally.voidsBooked, tally.recordsRejected,
                             tally.rejectedSum.ore, tally.recordsDuplicate, trailerSum?.ore, id])
    }

    func setStoredPath(fileID: RowID, path: String, at: Instant) throws {
        try db.execute(sql: "UPDATE kiosk_file SET stored_path = ?, moved_at = ? WHERE id = ?",
                       arguments: [path, at.millisecondsSinceEpoch, fileID])
        try trail.append(at: at, "file", fileID, "moved", cause: "moved to \(path)", file: fileID)
    }

    func bookedTransaction(kioskID: KioskID, transactionID: String) throws -> BookedTransaction? {
        // Almost every id is new: one look at both unique indexes first, the details only
        // for an id seen before.
        let seen = try seenQuery ?? BulkStatement(db, sql: """
            SELECT EXISTS (SELECT 1 FROM payment WHERE kiosk_id = ?1 AND transaction_id = ?2)
                OR EXISTS (SELECT 1 FROM void WHERE kiosk_id = ?1 AND void_id = ?2)
            """)
        seenQuery = seen
        var isSeen = false
        try seen.forEachRow({ values in
            values.add(kioskID.value)
            values.add(transactionID)
        }) { row in isSeen = row.int(0) != 0 }
        guard isSeen else { return nil }
        let payment = try db.cachedStatement(sql: """
            SELECT p.paid_at, p.payer, p.claim_type, p.amount_ore, p.tender, p.receipt, p.operator_id, f.name, p.line
            FROM payment p JOIN kiosk_file f ON f.id = p.file_id WHERE p.kiosk_id = ? AND p.transaction_id = ?
            """)
        if let row = try Row.fetchOne(payment, arguments: [kioskID.value, transactionID]) {
            let payerDigits: String = row[1]
            if let payer = Payer(storedDigits: payerDigits), let tender = Tender(rawValue: row[4]) {
                let record = PaymentRecord(transactionID: transactionID, paidAt: Instant(row: row[0]), payer: payer,
                                           claimType: row[2], amount: Amount(ore: row[3]), tender: tender,
                                           receipt: row[5], operatorID: row[6])
                return .payment(record, source: "\(row[7] as String) line \(row[8] as Int)")
            }
        }
        let void = try db.cachedStatement(sql: """
            SELECT v.voided_at, p.transaction_id, v.amount_ore, v.reason, f.name, v.line
            FROM void v JOIN payment p ON p.id = v.payment_id JOIN kiosk_file f ON f.id = v.file_id
            WHERE v.kiosk_id = ? AND v.void_id = ?
            """)
        if let row = try Row.fetchOne(void, arguments: [kioskID.value, transactionID]) {
            let record = VoidRecord(voidID: transactionID, voidedAt: Instant(row: row[0]), voidsTransactionID: row[1],
                                    amount: Amount(ore: row[2]), reason: row[3])
            return .void(record, source: "\(row[4] as String) line \(row[5] as Int)")
        }
        return nil
    }

    func bookPayment(_ payment: PaymentRecord, debtorClaimType: String, kioskID: KioskID, location: String,
                     fileID: RowID, line: Int, at: Instant) throws -> RowID {
        let statement = try paymentInsert ?? BulkStatement(db, sql: """
            INSERT INTO payment (kiosk_id, transaction_id, file_id, line, location, paid_at, payer, payer_kind, claim_type,
                                 debtor_claim_type, amount_ore, tender, receipt, operator_id, booked_at, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received')
            """)
        paymentInsert = statement
        try statement.run { values in
            values.add(kioskID.value)
            values.add(payment.transactionID)
            values.add(fileID)
            values.add(line)
            values.add(location)
            values.add(payment.paidAt.millisecondsSinceEpoch)
            values.add(payment.payer.digits)
            values.add(payment.payer.kind)
            values.add(payment.claimType)
            values.add(debtorClaimType)
            values.add(payment.amount.ore)
            values.add(payment.tender.rawValue)
            values.add(payment.receipt)
            values.add(payment.operatorID)
            values.add(at.millisecondsSinceEpoch)
        }
        let id = db.lastInsertedRowID
        try trail.extend(at: at, "payment", id, through: id, "booked", cause: "booked from file \(fileID)", count: 1, of: "payment",
                         file: fileID)
        return id
    }

    func voidTarget(kioskID: KioskID, transactionID: String) throws -> (payment: RowID, target: VoidTarget)? {
        let payment = try db.cachedStatement(sql: "SELECT id, amount_ore, state FROM payment WHERE kiosk_id = ? AND transaction_id = ?")
        guard let row = try Row.fetchOne(payment, arguments: [kioskID.value, transactionID]) else { return nil }
        let id: RowID = row[0]
        let exported = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM allocation_part a
                           WHERE a.payment_id = ? AND a.void_id IS NULL
                             AND EXISTS (SELECT 1 FROM export_batch b WHERE b.channel = a.channel
                                         AND b.after_part_id < a.id AND b.through_part_id >= a.id))
            """), arguments: [id]) ?? false
        return (id, VoidTarget(amount: Amount(ore: row[1]), isVoided: (row[2] as String) == "voided", isExported: exported))
    }

    func bookVoid(_ void: VoidRecord, kioskID: KioskID, payment: RowID, effect: VoidEffect,
                  fileID: RowID, line: Int, at: Instant) throws {
        try db.cachedStatement(sql: """
            INSERT INTO void (kiosk_id, void_id, file_id, line, voided_at, payment_id, amount_ore, reason, effect, booked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [kioskID.value, void.voidID, fileID, line, void.voidedAt.millisecondsSinceEpoch, payment,
                                     void.amount.ore, void.reason, effect.rawValue, at.millisecondsSinceEpoch])
        let voidRow = db.lastInsertedRowID
        try trail.append(at: at, "void", voidRow, "booked", cause: "line \(line), voids payment \(void.voidsTransactionID)", file: fileID)
        try db.cachedStatement(sql: "UPDATE payment SET state = 'voided' WHERE id = ?").execute(arguments: [payment])
        if effect == .cancel {
            // Not exported: the allocation, if a failed export left one, goes with the payment.
            try db.cachedStatement(sql: "DELETE FROM allocation_part WHERE payment_id = ?").execute(arguments: [payment])
            try trail.append(at: at, "payment", payment, "voided", cause: "cancelled by void \(void.voidID) before export", file: fileID)
        } else {
            try trail.append(at: at, "payment", payment, "voided", cause: "void \(void.voidID) after export: a reversal follows in the next export",
                         file: fileID)
        }
    }

    func recordRejectedRecord(_ summary: RecordSummary, problem: IntakeProblem, kioskID: String?, fileID: RowID,
                              wholeFile: Bool, at: Instant) throws {
        // Searchable by the digits even when they are not a valid number (a typo'd date).
        let payer = summary.payerText.flatMap(PersonalDataRedaction.payerKey)
        let paidAt: Int? = summary.paidAtText.flatMap { text in
            if case .success(let instant) = Timestamp.parse(text) { return instant.millisecondsSinceEpoch }
            return nil
        }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO rejected_record (file_id, line, record_type, kiosk_id, transaction_id, receipt, payer_text, payer,
                                         paid_at_text, paid_at, claim_type, amount_ore, tender, voids_transaction_id,
                                         reason_code, reason, whole_file, rejected_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [fileID, problem.line, summary.recordType.rawValue, kioskID, summary.transactionID,
                                          summary.receipt, summary.payerText, payer, summary.paidAtText, paidAt,
                                          summary.claimType, summary.amount?.ore, summary.tender, summary.voidsTransactionID,
                                          problem.code.rawValue, problem.description, wholeFile, at.millisecondsSinceEpoch])
        let id = db.lastInsertedRowID
        try trail.append(at: at, "record", id, "rejected", cause: problem.description, file: fileID)
    }

    func noteDuplicateRecord(kioskID: KioskID, transactionID: String, fileID: RowID, line: Int, at: Instant) throws {
        try trail.append(at: at, "file", fileID, "duplicate-record",
                     cause: "line \(line): transaction \(transactionID) of \(kioskID) was already booked with the same content; ignored",
                     file: fileID)
    }
}
