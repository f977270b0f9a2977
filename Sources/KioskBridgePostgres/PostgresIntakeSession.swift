import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// Booking kiosk files in PostgreSQL. A run of records is a few statements whatever its
/// size: ids are drawn in one go, payments, voids and refused records go in through COPY.
final class PostgresIntakeSession: IntakeSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    static let fileColumns = "id, name, sha256, kiosk_id, sequence, verdict, stored_path, received_at, reason"

    static func file(_ row: PostgresStoredRow) throws -> StoredFile {
        StoredFile(id: try row.int64("id"), name: try row.text("name"), sha256: try row.text("sha256"), kioskID: try row.optionalText("kiosk_id"),
                   sequence: try row.optionalInt("sequence"), verdict: FileVerdict(rawValue: try row.text("verdict")) ?? .rejected,
                   storedPath: try row.optionalText("stored_path"), receivedAt: Instant(millisecondsSinceEpoch: try row.int("received_at")),
                   reason: try row.optionalText("reason"))
    }

    func fileAwaitingMove(sha256: String, processingName: String) async throws -> StoredFile? {
        try await transaction.row("""
            SELECT \(unescaped: Self.fileColumns) FROM §kiosk_file
            WHERE sha256 = \(sha256) AND processing_name = \(processingName) AND moved_at IS NULL ORDER BY id DESC LIMIT 1
            """).map(Self.file)
    }

    /// One statement: each question is a row, tagged, the highest sequence below being that
    /// file's row (a kiosk's accepted sequence numbers are unique).
    func fileHistory(sha256: String, sequence: FileHistory.Sequence?) async throws -> FileHistory {
        // Without a header the kiosk is one no file has, and its rows are none.
        let kioskID = sequence?.kioskID.value ?? "", number = sequence?.number ?? 0
        var history = FileHistory()
        for row in try await transaction.rows("""
            (SELECT 'content' AS question, \(unescaped: Self.fileColumns) FROM §kiosk_file
             WHERE sha256 = \(sha256) AND verdict = 'accepted' ORDER BY id LIMIT 1)
            UNION ALL
            (SELECT 'sequence', \(unescaped: Self.fileColumns) FROM §kiosk_file
             WHERE kiosk_id = \(kioskID) AND sequence = \(number) AND verdict = 'accepted' LIMIT 1)
            UNION ALL
            (SELECT 'below', \(unescaped: Self.fileColumns) FROM §kiosk_file
             WHERE kiosk_id = \(kioskID) AND verdict = 'accepted' AND sequence < \(number) ORDER BY sequence DESC LIMIT 1)
            """) {
            let file = try Self.file(row)
            switch try row.text("question") {
            case "content": history.sameContent = file
            case "sequence": history.sameSequence = file
            default: history.highestSequenceBelow = file.sequence
            }
        }
        return history
    }

    func savepoint<T>(_ work: () async throws -> T) async throws -> T {
        let gathered = trail.gathered
        try await transaction.execute("SAVEPOINT file")
        let result: T
        do {
            result = try await work()
        } catch {
            // If undoing the file fails, the transaction cannot go on: that failure is thrown
            // instead of the file's own, so the run stops and the whole transaction is rolled
            // back. The file stays in processing/ and its own problem is found again next run.
            try await transaction.execute("ROLLBACK TO SAVEPOINT file")
            try await transaction.execute("RELEASE SAVEPOINT file")
            trail.restore(gathered)
            throw error
        }
        try await transaction.execute("RELEASE SAVEPOINT file")
        return result
    }

    func recordFile(_ file: NewFileRecord, cause: String) async throws -> RowID {
        guard let row = try await transaction.row("""
            INSERT INTO §kiosk_file (name, processing_name, sha256, size, format, encoding, kiosk_id, location, sequence,
                                     created_at, received_at, verdict, duplicate_of, reason_code, reason)
            VALUES (\(file.name), \(file.processingName), \(file.sha256), \(file.size), \(file.format), \(file.encoding),
                    \(file.header?.kioskID.value), \(file.header?.location), \(file.header?.sequence),
                    \(file.header?.createdAt.millisecondsSinceEpoch), \(file.receivedAt.millisecondsSinceEpoch),
                    \(file.verdict.rawValue), \(file.duplicateOf), \(file.reasonCode), \(file.reason))
            RETURNING id
            """) else {
            throw StoreError(.corrupt, "the new file's row was not returned", backend: PostgresBridgeStore.backend)
        }
        let id = try row.int64("id")
        trail.append(at: file.receivedAt, "file", id, file.verdict.rawValue, cause: cause, file: id)
        return id
    }

    func completeFile(id: RowID, tally: FileTally, trailerSum: Amount?, at: Instant) async throws {
        try await transaction.execute("""
            UPDATE §kiosk_file SET records = \(tally.records), payments_booked = \(tally.paymentsBooked), payments_ore = \(tally.paymentsSum.ore),
                voids_booked = \(tally.voidsBooked), records_rejected = \(tally.recordsRejected), rejected_ore = \(tally.rejectedSum.ore),
                records_duplicate = \(tally.recordsDuplicate), trailer_ore = \(trailerSum?.ore)
            WHERE id = \(id)
            """)
        if tally.paymentsBooked > 0 {
            trail.append(at: at, "file", id, "booked", cause: IntakeTrail.booked(fileID: id, tally), file: id)
        }
    }

    func setStoredPaths(_ files: [(fileID: RowID, path: String)], at: Instant) async throws {
        guard !files.isEmpty else { return }
        try await transaction.execute("""
            UPDATE §kiosk_file k SET stored_path = m.path, moved_at = \(at.millisecondsSinceEpoch)
            FROM unnest(\(files.map(\.fileID))::bigint[], \(files.map(\.path))::text[]) AS m(id, path) WHERE k.id = m.id
            """)
        for file in files { trail.append(at: at, "file", file.fileID, "moved", cause: "moved to \(file.path)", file: file.fileID) }
    }

    // MARK: Transactions

    /// One statement for payments and voids alike (a run's ids are mostly new, and every run
    /// asked twice): a payment's row comes first, and a void booked under an id a payment has
    /// is not read, as before. `OFFSET 0` keeps each `EXISTS` a probe of the few payments
    /// found: without it the planner may hash every part ever allocated instead, once per run
    /// that finds a payment (about 20 ms a file on 10,000 payments, and more as they grow).
    func knownTransactions(kioskID: KioskID, ids: Set<String>) async throws -> [String: KnownTransaction] {
        guard !ids.isEmpty else { return [:] }
        let wanted = ids.sorted()
        var known: [String: KnownTransaction] = [:]
        for row in try await transaction.rows("""
            SELECT 'payment' AS kind, p.id, p.transaction_id AS booked_id, p.paid_at AS at, p.payer, p.claim_type, p.amount_ore, p.tender,
                   p.receipt, p.operator_id, p.state, f.name AS file_name, p.line, NULL AS voids_transaction_id, NULL AS reason,
                   EXISTS (SELECT 1 FROM §allocation_part a
                           JOIN §export_batch_run r ON r.cycle_id = a.cycle_id
                           JOIN §export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                           WHERE a.payment_id = p.id AND a.void_id IS NULL OFFSET 0)
                   OR EXISTS (SELECT 1 FROM §fbs_part f WHERE f.payment_id = p.id OFFSET 0) AS exported
            FROM §payment p JOIN §kiosk_file f ON f.id = p.file_id
            WHERE p.kiosk_id = \(kioskID.value) AND p.transaction_id = ANY(\(wanted))
            UNION ALL
            SELECT 'void', v.id, v.void_id, v.voided_at, NULL, NULL, v.amount_ore, NULL, NULL, NULL, NULL, f.name, v.line, p.transaction_id,
                   v.reason, FALSE
            FROM §void v JOIN §payment p ON p.id = v.payment_id JOIN §kiosk_file f ON f.id = v.file_id
            WHERE v.kiosk_id = \(kioskID.value) AND v.void_id = ANY(\(wanted))
            ORDER BY kind
            """) {
            let bookedID = try row.text("booked_id")
            let source = "\(try row.text("file_name")) line \(try row.int("line"))"
            let amount = Amount(ore: try row.int("amount_ore"))
            let at = Instant(millisecondsSinceEpoch: try row.int("at"))
            if try row.text("kind") == "void" {
                guard known[bookedID] == nil else { continue }
                let record = VoidRecord(voidID: bookedID, voidedAt: at, voidsTransactionID: try row.text("voids_transaction_id"),
                                        amount: amount, reason: try row.optionalText("reason"))
                known[bookedID] = KnownTransaction(booked: .void(record, source: source), payment: nil)
                continue
            }
            let state = StoredPaymentState(rowID: try row.int64("id"), target: VoidTarget(
                amount: amount, isVoided: try row.text("state") == "voided", isExported: try row.bool("exported")))
            // A pseudonymised payer no longer reads as a number: the id is still taken.
            guard let payer = Payer(storedDigits: try row.text("payer")), let tender = Tender(rawValue: try row.text("tender")) else {
                known[bookedID] = KnownTransaction(booked: .pseudonymisedPayment(source: source), payment: state)
                continue
            }
            let record = PaymentRecord(transactionID: bookedID, paidAt: at, payer: payer, claimType: try row.text("claim_type"), amount: amount,
                                       tender: tender, receipt: try row.text("receipt"), operatorID: try row.optionalText("operator_id"))
            known[bookedID] = KnownTransaction(booked: .payment(record, source: source), payment: state)
        }
        return known
    }

    // MARK: Booking

    func book(_ bookings: FileBookings) async throws {
        let paymentIDs = try await insertPayments(bookings)
        let events = IntakeTrail.inFileOrder(bookings)
        var voids: [(void: NewVoid, payment: RowID)] = []
        var rejected: [RejectedRecord] = []
        for event in events {
            switch event {
            case .void(let void): voids.append((void, try Self.target(of: void, paymentIDs: paymentIDs)))
            case .rejected(let record): rejected.append(record)
            case .duplicate: break
            }
        }
        let voidIDs = try await insertVoids(voids, bookings: bookings)
        let rejectedIDs = try await insertRejected(rejected, bookings: bookings)
        // The trail in file order, with the ids just written.
        var nextVoid = 0
        var nextRejected = 0
        for event in events {
            switch event {
            case .void(let void):
                let payment = voids[nextVoid].payment
                trail.append(at: bookings.at, "void", voidIDs[nextVoid], "booked", cause: IntakeTrail.voidBooked(void), file: bookings.fileID)
                trail.append(at: bookings.at, "payment", payment, "voided", cause: IntakeTrail.paymentVoided(void), file: bookings.fileID)
                nextVoid += 1
            case .rejected(let record):
                trail.append(at: bookings.at, "record", rejectedIDs[nextRejected], "rejected", cause: record.problem.description,
                             file: bookings.fileID)
                nextRejected += 1
            case .duplicate(let duplicate):
                trail.append(at: bookings.at, "file", bookings.fileID, "duplicate-record", cause: IntakeTrail.duplicate(duplicate),
                             file: bookings.fileID)
            }
        }
        try await trail.flushIfLarge(transaction)
    }

    private static func target(of void: NewVoid, paymentIDs: [RowID]) throws -> RowID {
        switch void.target {
        case .stored(let id): return id
        case .booked(let index):
            guard paymentIDs.indices.contains(index) else {
                throw StoreError(.corrupt, "a void names payment \(index) of a run of \(paymentIDs.count)", backend: PostgresBridgeStore.backend)
            }
            return paymentIDs[index]
        }
    }

    static let paymentColumns = ["id", "kiosk_id", "transaction_id", "file_id", "line", "location", "paid_at", "payer", "payer_kind",
                                 "claim_type", "debtor_claim_type", "amount_ore", "tender", "receipt", "operator_id", "booked_at", "state"]

    private func insertPayments(_ bookings: FileBookings) async throws -> [RowID] {
        guard !bookings.payments.isEmpty else { return [] }
        let ids = try await transaction.nextIDs("payment", count: bookings.payments.count)
        try await transaction.copy(into: "payment", columns: Self.paymentColumns, zip(ids, bookings.payments)) { item, text in
            let (id, payment) = item
            let record = payment.record
            text.add(id)
            text.add(payment.kioskID.value)
            text.add(record.transactionID)
            text.add(bookings.fileID)
            text.add(payment.line)
            text.add(payment.location)
            text.add(record.paidAt.millisecondsSinceEpoch)
            text.add(record.payer.digits)
            text.add(record.payer.kind)
            text.add(record.claimType)
            text.add(payment.debtorClaimType)
            text.add(record.amount.ore)
            text.add(record.tender.rawValue)
            text.add(record.receipt)
            text.add(record.operatorID)
            text.add(bookings.at.millisecondsSinceEpoch)
            text.add("received")
        }
        return ids
    }

    private func insertVoids(_ voids: [(void: NewVoid, payment: RowID)], bookings: FileBookings) async throws -> [RowID] {
        guard !voids.isEmpty else { return [] }
        let ids = try await transaction.nextIDs("void", count: voids.count)
        try await transaction.copy(into: "void", columns: ["id", "kiosk_id", "void_id", "file_id", "line", "voided_at", "payment_id",
                                                           "amount_ore", "reason", "effect", "booked_at"], zip(ids, voids)) { item, text in
            let (id, entry) = item
            text.add(id)
            text.add(entry.void.kioskID.value)
            text.add(entry.void.record.voidID)
            text.add(bookings.fileID)
            text.add(entry.void.line)
            text.add(entry.void.record.voidedAt.millisecondsSinceEpoch)
            text.add(entry.payment)
            text.add(entry.void.record.amount.ore)
            text.add(entry.void.record.reason)
            text.add(entry.void.effect.rawValue)
            text.add(bookings.at.millisecondsSinceEpoch)
        }
        // Not exported: the allocation, if a failed export left one, goes with the payment.
        try await PostgresAllocationRuns.markVoided(transaction, payments: voids.map(\.payment),
                                                    cancelled: voids.filter { $0.void.effect == .cancel }.map(\.payment))
        return ids
    }

    private func insertRejected(_ records: [RejectedRecord], bookings: FileBookings) async throws -> [RowID] {
        guard !records.isEmpty else { return [] }
        let ids = try await transaction.nextIDs("rejected_record", count: records.count)
        try await transaction.copy(into: "rejected_record", columns: [
            "id", "file_id", "line", "record_type", "kiosk_id", "transaction_id", "receipt", "payer_text", "payer", "paid_at_text",
            "paid_at", "claim_type", "amount_ore", "tender", "voids_transaction_id", "reason_code", "reason", "whole_file", "rejected_at",
        ], zip(ids, records)) { item, text in
            let (id, record) = item
            let summary = record.summary
            text.add(id)
            text.add(bookings.fileID)
            text.add(record.problem.line)
            text.add(summary.recordType.rawValue)
            text.add(record.kioskID)
            text.add(summary.transactionID)
            text.add(summary.receipt)
            text.add(summary.payerText)
            text.add(IntakeTrail.payerKey(summary))
            text.add(summary.paidAtText)
            text.add(IntakeTrail.paidAt(summary)?.millisecondsSinceEpoch)
            text.add(summary.claimType)
            text.add(summary.amount?.ore)
            text.add(summary.tender)
            text.add(summary.voidsTransactionID)
            text.add(record.problem.code.rawValue)
            text.add(record.problem.description)
            text.add(record.wholeFile)
            text.add(bookings.at.millisecondsSinceEpoch)
        }
        return ids
    }
}

/// `allocation_run`: what each cycle allocated (or reversed) per channel.
enum PostgresAllocationRuns {
    /// Adds to the run of (cycle, channel), creating it.
    static func add(_ transaction: PostgresTransaction, cycle: RowID, channel: String, parts: Int, sum: Int, payments: Int,
                    reversals: Int) async throws {
        try await transaction.execute("""
            INSERT INTO §allocation_run AS r (cycle_id, channel, parts, sum_ore, payments, reversals)
            VALUES (\(cycle), \(channel), \(parts), \(sum), \(payments), \(reversals))
            ON CONFLICT (cycle_id, channel) DO UPDATE SET parts = r.parts + excluded.parts, sum_ore = r.sum_ore + excluded.sum_ore,
                payments = r.payments + excluded.payments, reversals = r.reversals + excluded.reversals
            """)
    }

    /// Marks voided payments voided; the parts of the `cancelled` ones (allocated but never
    /// exported) are deleted and taken out of their runs' totals. One statement whatever the
    /// voids: a run of a file's voids is one round trip, not three.
    static func markVoided(_ transaction: PostgresTransaction, payments: [RowID], cancelled: [RowID]) async throws {
        try await transaction.execute("""
            WITH voided AS (UPDATE §payment SET state = 'voided' WHERE id = ANY(\(payments))),
            gone AS (DELETE FROM §allocation_part WHERE payment_id = ANY(\(cancelled))
                     RETURNING cycle_id, channel, amount_ore, payment_id, void_id)
            UPDATE §allocation_run r SET parts = r.parts - t.parts, sum_ore = r.sum_ore - t.sum_ore, payments = r.payments - t.payments
            FROM (SELECT cycle_id, channel, COUNT(*) AS parts, SUM(amount_ore) AS sum_ore, COUNT(DISTINCT payment_id) AS payments
                  FROM gone WHERE void_id IS NULL GROUP BY cycle_id, channel) t
            WHERE r.cycle_id = t.cycle_id AND r.channel = t.channel
            """)
    }
}
