import KioskBridgeCore
import GRDB

final class SQLiteStoreReader: StoreReader {
    let db: Database

    init(_ db: Database) { self.db = db }

    private static let paymentColumns = """
        p.id, p.kiosk_id, p.location, p.transaction_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.claim_type,
        p.amount_ore, p.tender, p.operator_id, p.booked_at, f.name, f.received_at, p.line,
        v.void_id, v.voided_at, v.reason, v.effect, v.booked_at, vf.name
        """

    private static func payment(_ row: Row) -> PaymentView {
        var void: VoidView?
        if let voidID: String = row[16] {
            void = VoidView(voidID: voidID, voidedAt: Instant(row: row[17]), reason: row[18],
                            effect: VoidEffect(rawValue: row[19]) ?? .cancel, bookedAt: Instant(row: row[20]), fileName: row[21])
        }
        return PaymentView(rowID: row[0], kioskID: row[1], location: row[2], transactionID: row[3], receipt: row[4],
                           paidAt: Instant(row: row[5]), payerDigits: row[6], payerIsCompany: (row[7] as String) == "CVR",
                           claimType: row[8], amount: Amount(ore: row[9]), tender: row[10], operatorID: row[11],
                           bookedAt: Instant(row: row[12]), fileName: row[13], fileReceivedAt: Instant(row: row[14]), line: row[15],
                           voided: void)
    }

    func payments(receiptOrTransaction text: String, payerDigits: String?) throws -> [PaymentView] {
        // A transaction id (and a void's id) is unique per kiosk: it is looked for under each
        // kiosk that ever sent a file (found by stepping through the kiosk index, one look per
        // kiosk), so the payments and voids need no index of their own by transaction id.
        try Row.fetchAll(db, sql: """
            WITH RECURSIVE kiosk(id) AS (
                SELECT MIN(kiosk_id) FROM kiosk_file
                UNION ALL
                SELECT (SELECT MIN(kiosk_id) FROM kiosk_file WHERE kiosk_id > kiosk.id) FROM kiosk WHERE kiosk.id IS NOT NULL
            )
            SELECT \(Self.paymentColumns)
            FROM payment p JOIN kiosk_file f ON f.id = p.file_id
            LEFT JOIN void v ON v.payment_id = p.id LEFT JOIN kiosk_file vf ON vf.id = v.file_id
            WHERE p.id IN (SELECT id FROM payment WHERE receipt = ?1
                           UNION SELECT payment.id FROM kiosk JOIN payment ON payment.kiosk_id = kiosk.id AND payment.transaction_id = ?1
                           UNION SELECT id FROM payment WHERE payer = ?2
                           UNION SELECT void.payment_id FROM kiosk JOIN void ON void.kiosk_id = kiosk.id AND void.void_id = ?1)
            ORDER BY p.paid_at, p.kiosk_id, p.transaction_id
            LIMIT 500
            """, arguments: [text, payerDigits]).map(Self.payment)
    }

    private static let rejectedColumns = """
        r.id, r.kiosk_id, r.record_type, r.transaction_id, r.receipt, r.payer_text, r.paid_at_text, r.claim_type, r.amount_ore,
        r.tender, r.voids_transaction_id, r.line, r.reason_code, r.reason, r.whole_file, f.name, r.rejected_at
        """

    private static func rejected(_ row: Row) -> RejectedRecordView {
        let amount: Int? = row[8]
        let summary = RecordSummary(recordType: RecordSummary.RecordType(rawValue: row[2]) ?? .payment, transactionID: row[3],
                                    receipt: row[4], payerText: row[5], paidAtText: row[6], claimType: row[7],
                                    amount: amount.map(Amount.init(ore:)), tender: row[9], voidsTransactionID: row[10])
        return RejectedRecordView(rowID: row[0], kioskID: row[1], summary: summary, line: row[11], reasonCode: row[12],
                                  reason: row[13], wholeFile: row[14], fileName: row[15], rejectedAt: Instant(row: row[16]))
    }

    func rejectedRecords(receiptOrTransaction text: String, payerDigits: String?) throws -> [RejectedRecordView] {
        try Row.fetchAll(db, sql: """
            SELECT \(Self.rejectedColumns)
            FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
            WHERE r.id IN (SELECT id FROM rejected_record WHERE receipt = ?1
                           UNION SELECT id FROM rejected_record WHERE transaction_id = ?1
                           UNION SELECT id FROM rejected_record WHERE payer = ?2)
            ORDER BY r.rejected_at, r.id
            LIMIT 500
            """, arguments: [text, payerDigits]).map(Self.rejected)
    }

    func parts(ofPayment payment: RowID) throws -> [StoredPart] {
        try Row.fetchAll(db, sql: """
            SELECT id, kind, claim_id, channel, amount_ore, void_id IS NOT NULL, allocated_at FROM allocation_part
            WHERE payment_id = ? ORDER BY void_id IS NOT NULL, position
            """, arguments: [payment]).compactMap { row in
            guard let kind = AllocationPart.Kind(rawValue: row[1]), let channel = PaymentChannel(rawValue: row[3]) else { return nil }
            return StoredPart(id: row[0], part: AllocationPart(kind: kind, claimID: row[2], channel: channel, amount: Amount(ore: row[4])),
                              isReversal: row[5], allocatedAt: Instant(row: row[6]))
        }
    }

    func firstBatch(carryingPart part: RowID, channel: PaymentChannel) throws -> StoredBatch? {
        try Row.fetchOne(db, sql: """
            SELECT \(SQLiteCycleSession.batchColumns) FROM export_batch
            WHERE channel = ? AND through_part_id >= ? AND after_part_id < ?
            ORDER BY through_part_id, id LIMIT 1
            """, arguments: [channel.rawValue, part, part]).map(SQLiteCycleSession.batch)
    }

    func openClaims(payerDigits: String, payableIn: PaymentChannel) throws -> [Claim] {
        try Row.fetchAll(db, sql: """
            SELECT c.source, c.claim_id, c.payer, c.claim_type, c.created_on, c.due_on, c.original_ore, c.outstanding_ore, c.payable_in
            FROM claim c
            WHERE c.payer = ? AND c.payable_in = ? AND c.outstanding_ore > 0
              AND (c.source = 'DEBTOR' OR NOT EXISTS (SELECT 1 FROM claim d WHERE d.source = 'DEBTOR' AND d.claim_id = c.claim_id))
            ORDER BY c.created_on, c.due_on IS NULL, c.due_on, c.claim_id
            """, arguments: [payerDigits, payableIn.rawValue]).compactMap(SQLiteClaimsSession.claim)
    }

    func trail(subject: String, id: RowID) throws -> [TrailEntry] {
        // The subject's own rows, then the rows that speak for it as one of many: the run of
        // payments booked with it, the run of allocation parts its parts are in, and each
        // published batch that carried them (shown as "exported").
        var rows = try Row.fetchAll(db, sql: """
            SELECT id, at, event, cause FROM trail WHERE subject = ? AND subject_id = ? AND through_id IS NULL
            """, arguments: [subject, id]).map { (id: $0[0] as Int64, at: $0[1] as Int, event: $0[2] as String, cause: $0[3] as String) }
        func covering(_ runSubject: String, _ member: Int64) throws {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT id, at, event, cause, through_id FROM trail
                WHERE subject = ? AND subject_id <= ? AND through_id IS NOT NULL ORDER BY subject_id DESC LIMIT 1
                """, arguments: [runSubject, member]), (row[4] as Int64) >= member else { return }
            rows.append((row[0], row[1], row[2], row[3]))
        }
        let carrier: String
        switch subject {
        case "payment":
            // A trail written before runs existed has a row of its own for each change; looking
            // for a run there would walk back through all of them.
            let own = Set(rows.map(\.event))
            if !own.contains("booked") { try covering("payment", id) }
            if !own.contains("allocated"),
               let part = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM allocation_part WHERE payment_id = ? AND void_id IS NULL",
                                            arguments: [id]) {
                try covering("allocation_part", part)
            }
            carrier = "a.payment_id = ?1 AND a.void_id IS NULL"
        case "void":
            carrier = "a.void_id = ?1"
        default:
            carrier = ""
        }
        // Trails written before batches spoke for their payments have an "exported" row each.
        if !carrier.isEmpty && !rows.contains(where: { $0.event == "exported" }) {
            rows += try Row.fetchAll(db, sql: """
                SELECT t.id, t.at, 'exported', t.cause FROM trail t
                WHERE t.subject = 'batch' AND t.event = 'published'
                  AND t.subject_id IN (SELECT b.id FROM allocation_part a JOIN export_batch b
                                       ON b.channel = a.channel AND b.after_part_id < a.id AND b.through_part_id >= a.id
                                       WHERE \(carrier))
                """, arguments: [id]).map { ($0[0], $0[1], $0[2], $0[3]) }
        }
        return rows.sorted { $0.id < $1.id }.map {
            TrailEntry(at: Instant(millisecondsSinceEpoch: $0.at), subject: subject, subjectID: id, event: $0.event, cause: $0.cause)
        }
    }

    func snapshots() throws -> [StoredSnapshot] {
        try SQLiteClaimsSession.snapshots(db)
    }

    func filesReceived(from: Instant, to: Instant) throws -> [StoredFile] {
        try Row.fetchAll(db, sql: """
            SELECT \(SQLiteIntakeSession.fileColumns) FROM kiosk_file WHERE received_at >= ? AND received_at < ? ORDER BY id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map(SQLiteIntakeSession.file)
    }

    func rejectedRecords(from: Instant, to: Instant) throws -> [RejectedRecordView] {
        try Row.fetchAll(db, sql: """
            SELECT \(Self.rejectedColumns) FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
            WHERE r.rejected_at >= ? AND r.rejected_at < ? ORDER BY r.id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map(Self.rejected)
    }

    func batches(from: Instant, to: Instant) throws -> [StoredBatch] {
        try Row.fetchAll(db, sql: """
            SELECT \(SQLiteCycleSession.batchColumns) FROM export_batch WHERE created_at >= ? AND created_at < ? ORDER BY id
            """, arguments: [from.millisecondsSinceEpoch, to.millisecondsSinceEpoch]).map(SQLiteCycleSession.batch)
    }

    func forEachExportLine(of batch: StoredBatch, _ body: (ExportLine) throws -> Void) throws {
        // Reversals first, in the order of the voids, then the payments in allocation order
        // (debtor-export.md): both are the order of the part ids, as a cycle writes reversals
        // in void order and allocations in paid order. Two passes in id order, no sorting.
        let parts = try BulkStatement(db, sql: """
            SELECT a.kind, p.transaction_id, p.kiosk_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.debtor_claim_type,
                   a.claim_id, a.amount_ore
            FROM allocation_part a
            JOIN payment p ON p.id = a.payment_id
            WHERE a.id > ? AND a.id <= ? AND a.channel = ? AND (a.void_id IS NOT NULL) = ?
            ORDER BY a.id
            """)
        for reversals in [1, 0] {
            try parts.forEachRow({ values in
                values.add(batch.afterPartID)
                values.add(batch.throughPartID)
                values.add(batch.channel.rawValue)
                values.add(reversals)
            }) { row in
                try body(ExportLine(kind: AllocationPart.Kind(rawValue: row.text(0)) ?? .payment, transactionID: row.text(1),
                                    kioskID: row.text(2), receipt: row.text(3), paidAt: Instant(millisecondsSinceEpoch: row.int(4)),
                                    payerDigits: row.text(5), payerIsCompany: row.text(6) == "CVR", debtorClaimType: row.text(7),
                                    claimID: row.optionalText(8), amount: Amount(ore: row.int(9))))
            }
        }
    }

    func sequenceGaps() throws -> [(kioskID: String, missing: ClosedRange<Int>)] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT kiosk_id, sequence, LEAD(sequence) OVER (PARTITION BY kiosk_id ORDER BY sequence) AS next
            FROM kiosk_file WHERE verdict = 'accepted' AND kiosk_id IS NOT NULL
            """)
        return rows.compactMap { row in
            let sequence: Int = row[1]
            guard let next: Int = row[2], next > sequence + 1 else { return nil }
            return (row[0], (sequence + 1)...(next - 1))
        }
    }
}
