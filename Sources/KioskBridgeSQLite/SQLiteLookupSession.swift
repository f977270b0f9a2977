import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// A payment's story in SQLite, on one snapshot.
final class SQLiteLookupSession: LookupSession, @unchecked Sendable {
    let connection: ConfinedConnection

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    private static let paymentColumns = """
        p.id, p.kiosk_id, p.location, p.transaction_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.claim_type,
        p.amount_ore, p.tender, p.operator_id, p.booked_at, f.name AS file_name, f.received_at AS file_received_at, p.line,
        v.void_id, v.voided_at, v.reason AS void_reason, v.effect AS void_effect, v.booked_at AS void_booked_at,
        vf.name AS void_file_name
        """

    private static func payment(_ row: Row) -> PaymentView {
        var void: VoidView?
        if let voidID: String = row["void_id"] {
            void = VoidView(voidID: voidID, voidedAt: Instant(row: row["voided_at"]), reason: row["void_reason"],
                            effect: VoidEffect(rawValue: row["void_effect"]) ?? .cancel, bookedAt: Instant(row: row["void_booked_at"]),
                            fileName: row["void_file_name"])
        }
        return PaymentView(rowID: row["id"], kioskID: row["kiosk_id"], location: row["location"], transactionID: row["transaction_id"],
                           receipt: row["receipt"], paidAt: Instant(row: row["paid_at"]), payerDigits: row["payer"],
                           payerIsCompany: (row["payer_kind"] as String) == "CVR", claimType: row["claim_type"],
                           amount: Amount(ore: row["amount_ore"]), tender: row["tender"], operatorID: row["operator_id"],
                           bookedAt: Instant(row: row["booked_at"]), fileName: row["file_name"],
                           fileReceivedAt: Instant(row: row["file_received_at"]), line: row["line"], voided: void)
    }

    func payments(receiptOrTransaction text: String, payerDigits: String?) async throws -> [PaymentView] {
        try await connection.run { db in
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
                LIMIT \(LookupLimits.matches)
                """, arguments: [text, payerDigits]).map(Self.payment)
        }
    }

    func confirmations(ofPayment payment: RowID) async throws -> PaymentConfirmations {
        try await connection.run { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.subject, c.as_of, c.loaded_at, c.file_name FROM debtor_export e JOIN debtor_confirmation c ON c.id = e.confirmation_id
                WHERE (e.subject = 'payment' AND e.subject_id = ?1)
                   OR (e.subject = 'void' AND e.subject_id = (SELECT id FROM void WHERE payment_id = ?1))
                """, arguments: [payment])
            func confirmation(_ subject: String) -> DebtorConfirmation? {
                rows.first { ($0["subject"] as String) == subject }.map {
                    DebtorConfirmation(asOf: Instant(row: $0["as_of"]), loadedAt: Instant(row: $0["loaded_at"]), snapshotFile: $0["file_name"])
                }
            }
            return PaymentConfirmations(payment: confirmation("payment"), reversal: confirmation("void"))
        }
    }

    private static let rejectedColumns = """
        r.id, r.kiosk_id, r.record_type, r.transaction_id, r.receipt, r.payer_text, r.paid_at_text, r.claim_type, r.amount_ore,
        r.tender, r.voids_transaction_id, r.line, r.reason_code, r.reason, r.whole_file, f.name AS file_name, r.rejected_at
        """

    static func rejected(_ row: Row) -> RejectedRecordView {
        let amount: Int? = row["amount_ore"]
        let summary = RecordSummary(recordType: RecordSummary.RecordType(rawValue: row["record_type"]) ?? .payment,
                                    transactionID: row["transaction_id"], receipt: row["receipt"], payerText: row["payer_text"],
                                    paidAtText: row["paid_at_text"], claimType: row["claim_type"], amount: amount.map(Amount.init(ore:)),
                                    tender: row["tender"], voidsTransactionID: row["voids_transaction_id"])
        return RejectedRecordView(rowID: row["id"], kioskID: row["kiosk_id"], summary: summary, line: row["line"],
                                  reasonCode: row["reason_code"], reason: row["reason"], wholeFile: row["whole_file"],
                                  fileName: row["file_name"], rejectedAt: Instant(row: row["rejected_at"]))
    }

    func rejectedRecords(receiptOrTransaction text: String, payerDigits: String?) async throws -> [RejectedRecordView] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.rejectedColumns)
                FROM rejected_record r JOIN kiosk_file f ON f.id = r.file_id
                WHERE r.id IN (SELECT id FROM rejected_record WHERE receipt = ?1
                               UNION SELECT id FROM rejected_record WHERE transaction_id = ?1
                               UNION SELECT id FROM rejected_record WHERE payer = ?2)
                ORDER BY r.rejected_at, r.id
                LIMIT \(LookupLimits.matches)
                """, arguments: [text, payerDigits]).map(Self.rejected)
        }
    }

    func parts(ofPayment payment: RowID) async throws -> [StoredPart] {
        try await connection.run { db in
            try Row.fetchAll(db, sql: """
                SELECT a.id, a.kind, a.claim_id, a.channel, a.amount_ore, a.void_id IS NOT NULL AS reversal, a.allocated_at, a.cycle_id,
                       f.state AS fbs_state, f.confirmation_id AS fbs_confirmation_id, f.reason AS fbs_reason
                FROM allocation_part a
                LEFT JOIN fbs_part f ON f.payment_id = a.payment_id AND f.position = a.position AND a.void_id IS NULL
                WHERE a.payment_id = ? ORDER BY a.void_id IS NOT NULL, a.position
                """, arguments: [payment]).compactMap { row in
                guard let part = SQLiteCycleSession.part(row) else { return nil }
                let fbs = (row["fbs_state"] as String?).flatMap(FBSPartState.init(rawValue:)).map {
                    FBSPartStatus(state: $0, confirmationID: row["fbs_confirmation_id"], reason: row["fbs_reason"])
                }
                return StoredPart(id: row["id"], part: part, isReversal: row["reversal"], allocatedAt: Instant(row: row["allocated_at"]),
                                  cycleID: row["cycle_id"], fbs: fbs)
            }
        }
    }

    func firstBatch(carrying part: StoredPart) async throws -> StoredBatch? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: """
                SELECT \(SQLiteCycleSession.batchColumns("b"))
                FROM export_batch_run r JOIN export_batch b ON b.id = r.batch_id
                WHERE r.cycle_id = ? AND b.channel = ?
                ORDER BY b.id LIMIT 1
                """, arguments: [part.cycleID, part.part.channel.rawValue]).map(SQLiteCycleSession.batch)
        }
    }

    func claimEvidence(payerDigits: String) async throws -> [ClaimEvidence] {
        try await connection.run { db in try SQLiteClaimEvidence.read(db, payers: [payerDigits])[payerDigits] ?? [] }
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await connection.run { db in try SQLiteClaimsSession.snapshots(db) }
    }

    func openClaims(payerDigits: String, payableIn: PaymentChannel) async throws -> [Claim] {
        try await connection.run { db in
            try SQLiteClaimRows.fetch(db, where: "c.payer = ? AND c.payable_in = ? AND c.outstanding_ore > 0 AND \(SQLiteClaimRows.effective)",
                                      orderBy: "c.created_on, c.due_on IS NULL, c.due_on, c.claim_id") { values in
                values.add(payerDigits)
                values.add(payableIn.rawValue)
            }
        }
    }

    func trail(subject: String, id: RowID) async throws -> [TrailEntry] {
        try await connection.run { db in try SQLiteSubjectTrail(db: db, subject: subject, id: id).entries() }
    }
}
