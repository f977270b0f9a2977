import Foundation
import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Booking kiosk files in SQLite.
///
/// Its state (cached statements, the trail's rows) is used by its connection's thread
/// only, one job at a time.
final class SQLiteIntakeSession: IntakeSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    private var paymentInsert: BulkStatement?
    private var seenQuery: BulkStatement?

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    static let fileColumns = "id, name, sha256, kiosk_id, sequence, verdict, stored_path, received_at, reason"

    static func file(_ row: Row) -> StoredFile {
        StoredFile(id: row["id"], name: row["name"], sha256: row["sha256"], kioskID: row["kiosk_id"], sequence: row["sequence"],
                   verdict: FileVerdict(rawValue: row["verdict"]) ?? .rejected, storedPath: row["stored_path"],
                   receivedAt: Instant(row: row["received_at"]), reason: row["reason"])
    }

    func fileAwaitingMove(sha256: String, processingName: String) async throws -> StoredFile? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: """
                SELECT \(Self.fileColumns) FROM kiosk_file
                WHERE sha256 = ? AND processing_name = ? AND moved_at IS NULL ORDER BY id DESC LIMIT 1
                """, arguments: [sha256, processingName]).map(Self.file)
        }
    }

    func fileHistory(sha256: String, sequence: FileHistory.Sequence?) async throws -> FileHistory {
        try await connection.run { db in
            var history = FileHistory()
            history.sameContent = try Row.fetchOne(
                db, sql: "SELECT \(Self.fileColumns) FROM kiosk_file WHERE sha256 = ? AND verdict = 'accepted' ORDER BY id LIMIT 1",
                arguments: [sha256]).map(Self.file)
            guard let sequence else { return history }
            history.sameSequence = try Row.fetchOne(
                db, sql: "SELECT \(Self.fileColumns) FROM kiosk_file WHERE kiosk_id = ? AND sequence = ? AND verdict = 'accepted'",
                arguments: [sequence.kioskID.value, sequence.number]).map(Self.file)
            history.highestSequenceBelow = try Int.fetchOne(
                db, sql: "SELECT MAX(sequence) FROM kiosk_file WHERE kiosk_id = ? AND verdict = 'accepted' AND sequence < ?",
                arguments: [sequence.kioskID.value, sequence.number])
            return history
        }
    }

    func savepoint<T>(_ work: () async throws -> T) async throws -> T {
        let gathered = trail.gathered
        try await connection.run { db in try db.execute(sql: "SAVEPOINT file") }
        let result: T
        do {
            result = try await work()
        } catch {
            // If undoing the file fails, the transaction cannot go on: that failure is thrown
            // instead of the file's own, so the run stops and the whole transaction is rolled
            // back. The file stays in processing/ and its own problem is found again next run.
            try await connection.run { db in try db.execute(sql: "ROLLBACK TO SAVEPOINT file; RELEASE SAVEPOINT file") }
            trail.restore(gathered)
            throw error
        }
        try await connection.run { db in try db.execute(sql: "RELEASE SAVEPOINT file") }
        return result
    }

    func recordFile(_ file: NewFileRecord, cause: String) async throws -> RowID {
        try await connection.run { db in
            try db.execute(sql: """
                INSERT INTO kiosk_file (name, processing_name, sha256, size, format, encoding, kiosk_id, location, sequence,
                                        created_at, received_at, verdict, duplicate_of, reason_code, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.name, file.processingName, file.sha256, file.size, file.format, file.encoding,
                                 file.header?.kioskID.value, file.header?.location, file.header?.sequence,
                                 file.header?.createdAt.millisecondsSinceEpoch, file.receivedAt.millisecondsSinceEpoch,
                                 file.verdict.rawValue, file.duplicateOf, file.reasonCode, file.reason])
            let id = db.lastInsertedRowID
            self.trail.append(at: file.receivedAt, "file", id, file.verdict.rawValue, cause: cause, file: id)
            return id
        }
    }

    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?, at: Instant) async throws {
        try await connection.run { db in
            try db.execute(sql: """
                UPDATE kiosk_file SET records = ?, payments_booked = ?, payments_ore = ?, voids_booked = ?, records_rejected = ?,
                                      rejected_ore = ?, records_duplicate = ?, trailer_ore = ?
                WHERE id = ?
                """, arguments: [tally.records, tally.paymentsBooked, tally.paymentsSum.ore, tally.voidsBooked, tally.recordsRejected,
                                 tally.rejectedSum.ore, tally.recordsDuplicate, trailerSum?.ore, id])
            if tally.paymentsBooked > 0 {
                self.trail.append(at: at, "file", id, "booked", cause: IntakeTrail.booked(fileID: id, tally), file: id)
            }
        }
    }

    func setStoredPaths(_ files: [(fileID: RowID, path: String)], at: Instant) async throws {
        try await connection.run { db in
            let statement = try db.cachedStatement(sql: "UPDATE kiosk_file SET stored_path = ?, moved_at = ? WHERE id = ?")
            for file in files {
                try statement.execute(arguments: [file.path, at.millisecondsSinceEpoch, file.fileID])
                self.trail.append(at: at, "file", file.fileID, "moved", cause: "moved to \(file.path)", file: file.fileID)
            }
        }
    }

    // MARK: Transactions

    func knownTransactions(kioskID: KioskID, ids: Set<String>) async throws -> [String: KnownTransaction] {
        try await connection.run { db in
            var known: [String: KnownTransaction] = [:]
            for id in ids.sorted() {
                if let found = try self.known(db, kioskID: kioskID, transactionID: id) { known[id] = found }
            }
            return known
        }
    }

    private func known(_ db: Database, kioskID: KioskID, transactionID: String) throws -> KnownTransaction? {
        // Almost every id is new: one look at both unique indexes first, the details only
        // for an id seen before.
        let seen = try seenQuery ?? BulkStatement(db, sql: """
            SELECT EXISTS (SELECT 1 FROM payment WHERE kiosk_id = ?1 AND transaction_id = ?2)
                OR EXISTS (SELECT 1 FROM void WHERE kiosk_id = ?1 AND void_id = ?2) AS seen
            """, columns: ["seen"])
        seenQuery = seen
        var isSeen = false
        try seen.forEachRow({ values in
            values.add(kioskID.value)
            values.add(transactionID)
        }) { row in isSeen = row.int(0) != 0 }
        guard isSeen else { return nil }
        let payment = try db.cachedStatement(sql: """
            SELECT p.id, p.paid_at, p.payer, p.claim_type, p.amount_ore, p.tender, p.receipt, p.operator_id, p.state,
                   f.name AS file_name, p.line,
                   EXISTS (SELECT 1 FROM allocation_part a
                           JOIN export_batch_run r ON r.cycle_id = a.cycle_id
                           JOIN export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                           WHERE a.payment_id = p.id AND a.void_id IS NULL)
                   OR EXISTS (SELECT 1 FROM fbs_part f WHERE f.payment_id = p.id) AS exported
            FROM payment p JOIN kiosk_file f ON f.id = p.file_id WHERE p.kiosk_id = ? AND p.transaction_id = ?
            """)
        if let row = try Row.fetchOne(payment, arguments: [kioskID.value, transactionID]) {
            let payerDigits: String = row["payer"]
            let amount = Amount(ore: row["amount_ore"])
            let state = StoredPaymentState(rowID: row["id"], target: VoidTarget(
                amount: amount, isVoided: (row["state"] as String) == "voided", isExported: row["exported"]))
            let source = "\(row["file_name"] as String) line \(row["line"] as Int)"
            // A pseudonymised payer no longer reads as a number: the id is still taken.
            guard let payer = Payer(storedDigits: payerDigits), let tender = Tender(rawValue: row["tender"]) else {
                return KnownTransaction(booked: .pseudonymisedPayment(source: source), payment: state)
            }
            let record = PaymentRecord(transactionID: transactionID, paidAt: Instant(row: row["paid_at"]), payer: payer,
                                       claimType: row["claim_type"], amount: amount, tender: tender,
                                       receipt: row["receipt"], operatorID: row["operator_id"])
            return KnownTransaction(booked: .payment(record, source: source), payment: state)
        }
        let void = try db.cachedStatement(sql: """
            SELECT v.voided_at, p.transaction_id, v.amount_ore, v.reason, f.name AS file_name, v.line
            FROM void v JOIN payment p ON p.id = v.payment_id JOIN kiosk_file f ON f.id = v.file_id
            WHERE v.kiosk_id = ? AND v.void_id = ?
            """)
        if let row = try Row.fetchOne(void, arguments: [kioskID.value, transactionID]) {
            let record = VoidRecord(voidID: transactionID, voidedAt: Instant(row: row["voided_at"]),
                                    voidsTransactionID: row["transaction_id"], amount: Amount(ore: row["amount_ore"]),
                                    reason: row["reason"])
            return KnownTransaction(booked: .void(record, source: "\(row["file_name"] as String) line \(row["line"] as Int)"),
                                    payment: nil)
        }
        return nil
    }

    // MARK: Booking

    func book(_ bookings: FileBookings) async throws {
        try await connection.run { db in
            let paymentIDs = try self.insertPayments(db, bookings)
            for event in IntakeTrail.inFileOrder(bookings) {
                switch event {
                case .void(let void): try self.insertVoid(db, void, paymentIDs: paymentIDs, bookings: bookings)
                case .rejected(let record): try self.insertRejected(db, record, bookings: bookings)
                case .duplicate(let duplicate):
                    self.trail.append(at: bookings.at, "file", bookings.fileID, "duplicate-record",
                                      cause: IntakeTrail.duplicate(duplicate), file: bookings.fileID)
                }
            }
            try self.trail.flushIfLarge(db)
        }
    }

    private func insertPayments(_ db: Database, _ bookings: FileBookings) throws -> [RowID] {
        guard !bookings.payments.isEmpty else { return [] }
        let statement = try paymentInsert ?? BulkStatement(db, sql: """
            INSERT INTO payment (kiosk_id, transaction_id, file_id, line, location, paid_at, payer, payer_kind, claim_type,
                                 debtor_claim_type, amount_ore, tender, receipt, operator_id, booked_at, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received')
            """)
        paymentInsert = statement
        var ids: [RowID] = []
        ids.reserveCapacity(bookings.payments.count)
        for payment in bookings.payments {
            let record = payment.record
            try statement.run { values in
                values.add(payment.kioskID.value)
                values.add(record.transactionID)
                values.add(bookings.fileID)
                values.add(payment.line)
                values.add(payment.location)
                values.add(record.paidAt.millisecondsSinceEpoch)
                values.add(record.payer.digits)
                values.add(record.payer.kind)
                values.add(record.claimType)
                values.add(payment.debtorClaimType)
                values.add(record.amount.ore)
                values.add(record.tender.rawValue)
                values.add(record.receipt)
                values.add(record.operatorID)
                values.add(bookings.at.millisecondsSinceEpoch)
            }
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }

    private func insertVoid(_ db: Database, _ void: NewVoid, paymentIDs: [RowID], bookings: FileBookings) throws {
        let payment: RowID
        switch void.target {
        case .stored(let id): payment = id
        case .booked(let index):
            guard paymentIDs.indices.contains(index) else {
                throw StoreError(.corrupt, "a void names payment \(index) of a run of \(paymentIDs.count)", backend: SQLiteBridgeStore.backend)
            }
            payment = paymentIDs[index]
        }
        let at = bookings.at
        try db.cachedStatement(sql: """
            INSERT INTO void (kiosk_id, void_id, file_id, line, voided_at, payment_id, amount_ore, reason, effect, booked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [void.kioskID.value, void.record.voidID, bookings.fileID, void.line,
                                     void.record.voidedAt.millisecondsSinceEpoch, payment, void.record.amount.ore, void.record.reason,
                                     void.effect.rawValue, at.millisecondsSinceEpoch])
        let voidRow = db.lastInsertedRowID
        trail.append(at: at, "void", voidRow, "booked", cause: IntakeTrail.voidBooked(void), file: bookings.fileID)
        try db.cachedStatement(sql: "UPDATE payment SET state = 'voided' WHERE id = ?").execute(arguments: [payment])
        if void.effect == .cancel {
            // Not exported: the allocation, if a failed export left one, goes with the payment.
            try SQLiteAllocationRuns.takeBack(db, payment: payment)
            try db.cachedStatement(sql: "DELETE FROM allocation_part WHERE payment_id = ?").execute(arguments: [payment])
        }
        trail.append(at: at, "payment", payment, "voided", cause: IntakeTrail.paymentVoided(void), file: bookings.fileID)
    }

    private func insertRejected(_ db: Database, _ record: RejectedRecord, bookings: FileBookings) throws {
        let summary = record.summary
        let statement = try db.cachedStatement(sql: """
            INSERT INTO rejected_record (file_id, line, record_type, kiosk_id, transaction_id, receipt, payer_text, payer,
                                         paid_at_text, paid_at, claim_type, amount_ore, tender, voids_transaction_id,
                                         reason_code, reason, whole_file, rejected_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.execute(arguments: [bookings.fileID, record.problem.line, summary.recordType.rawValue, record.kioskID,
                                          summary.transactionID, summary.receipt, summary.payerText, IntakeTrail.payerKey(summary),
                                          summary.paidAtText, IntakeTrail.paidAt(summary)?.millisecondsSinceEpoch,
                                          summary.claimType, summary.amount?.ore, summary.tender, summary.voidsTransactionID,
                                          record.problem.code.rawValue, record.problem.description, record.wholeFile,
                                          bookings.at.millisecondsSinceEpoch])
        trail.append(at: bookings.at, "record", db.lastInsertedRowID, "rejected", cause: record.problem.description,
                     file: bookings.fileID)
    }
}
