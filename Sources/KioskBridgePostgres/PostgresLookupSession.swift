import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// A payment's story in PostgreSQL, on one snapshot.
final class PostgresLookupSession: LookupSession {
    let transaction: PostgresTransaction

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    private static let paymentColumns = """
        p.id, p.kiosk_id, p.location, p.transaction_id, p.receipt, p.paid_at, p.payer, p.payer_kind, p.claim_type,
        p.amount_ore, p.tender, p.operator_id, p.booked_at, f.name AS file_name, f.received_at AS file_received_at, p.line,
        v.void_id, v.voided_at, v.reason AS void_reason, v.effect AS void_effect, v.booked_at AS void_booked_at,
        vf.name AS void_file_name
        """

    private static func payment(_ row: PostgresStoredRow) throws -> PaymentView {
        var void: VoidView?
        if let voidID = try row.optionalText("void_id") {
            void = VoidView(voidID: voidID, voidedAt: Instant(millisecondsSinceEpoch: try row.int("voided_at")),
                            reason: try row.optionalText("void_reason"),
                            effect: VoidEffect(rawValue: try row.text("void_effect")) ?? .cancel,
                            bookedAt: Instant(millisecondsSinceEpoch: try row.int("void_booked_at")), fileName: try row.text("void_file_name"))
        }
        return PaymentView(rowID: try row.int64("id"), kioskID: try row.text("kiosk_id"), location: try row.text("location"),
                           transactionID: try row.text("transaction_id"), receipt: try row.text("receipt"),
                           paidAt: Instant(millisecondsSinceEpoch: try row.int("paid_at")), payerDigits: try row.text("payer"),
                           payerIsCompany: try row.text("payer_kind") == "CVR", claimType: try row.text("claim_type"),
                           amount: Amount(ore: try row.int("amount_ore")), tender: try row.text("tender"),
                           operatorID: try row.optionalText("operator_id"), bookedAt: Instant(millisecondsSinceEpoch: try row.int("booked_at")),
                           fileName: try row.text("file_name"), fileReceivedAt: Instant(millisecondsSinceEpoch: try row.int("file_received_at")),
                           line: try row.int("line"), voided: void)
    }

    func payments(receiptOrTransaction text: String, payerDigits: String?) async throws -> [PaymentView] {
        try await transaction.rows("""
            SELECT \(unescaped: Self.paymentColumns)
            FROM §payment p JOIN §kiosk_file f ON f.id = p.file_id
            LEFT JOIN §void v ON v.payment_id = p.id LEFT JOIN §kiosk_file vf ON vf.id = v.file_id
            WHERE p.id IN (SELECT id FROM §payment WHERE receipt = \(text)
                           UNION SELECT id FROM §payment WHERE transaction_id = \(text)
                           UNION SELECT id FROM §payment WHERE payer = \(payerDigits)::TEXT
                           UNION SELECT payment_id FROM §void WHERE void_id = \(text))
            ORDER BY p.paid_at, p.kiosk_id, p.transaction_id
            LIMIT \(LookupLimits.matches)
            """).map(Self.payment)
    }

    private static let rejectedColumns = """
        r.id, r.kiosk_id, r.record_type, r.transaction_id, r.receipt, r.payer_text, r.paid_at_text, r.claim_type, r.amount_ore,
        r.tender, r.voids_transaction_id, r.line, r.reason_code, r.reason, r.whole_file, f.name AS file_name, r.rejected_at
        """

    static func rejected(_ row: PostgresStoredRow) throws -> RejectedRecordView {
        let summary = RecordSummary(recordType: RecordSummary.RecordType(rawValue: try row.text("record_type")) ?? .payment,
                                    transactionID: try row.optionalText("transaction_id"), receipt: try row.optionalText("receipt"),
                                    payerText: try row.optionalText("payer_text"), paidAtText: try row.optionalText("paid_at_text"),
                                    claimType: try row.optionalText("claim_type"), amount: try row.optionalInt("amount_ore").map(Amount.init(ore:)),
                                    tender: try row.optionalText("tender"), voidsTransactionID: try row.optionalText("voids_transaction_id"))
        return RejectedRecordView(rowID: try row.int64("id"), kioskID: try row.optionalText("kiosk_id"), summary: summary, line: try row.int("line"),
                                  reasonCode: try row.text("reason_code"), reason: try row.text("reason"), wholeFile: try row.bool("whole_file"),
                                  fileName: try row.text("file_name"), rejectedAt: Instant(millisecondsSinceEpoch: try row.int("rejected_at")))
    }

    func rejectedRecords(receiptOrTransaction text: String, payerDigits: String?) async throws -> [RejectedRecordView] {
        try await transaction.rows("""
            SELECT \(unescaped: Self.rejectedColumns)
            FROM §rejected_record r JOIN §kiosk_file f ON f.id = r.file_id
            WHERE r.id IN (SELECT id FROM §rejected_record WHERE receipt = \(text)
                           UNION SELECT id FROM §rejected_record WHERE transaction_id = \(text)
                           UNION SELECT id FROM §rejected_record WHERE payer = \(payerDigits)::TEXT)
            ORDER BY r.rejected_at, r.id
            LIMIT \(LookupLimits.matches)
            """).map(Self.rejected)
    }

    func parts(ofPayment payment: RowID) async throws -> [StoredPart] {
        try await transaction.rows("""
            SELECT a.id, a.kind, a.claim_id, a.channel, a.amount_ore, a.void_id IS NOT NULL AS reversal, a.allocated_at, a.cycle_id,
                   f.state AS fbs_state, f.confirmation_id AS fbs_confirmation_id, f.reason AS fbs_reason
            FROM §allocation_part a
            LEFT JOIN §fbs_part f ON f.payment_id = a.payment_id AND f.position = a.position AND a.void_id IS NULL
            WHERE a.payment_id = \(payment) ORDER BY a.void_id IS NOT NULL, a.position
            """).compactMap { row in
            guard let part = try PostgresCycleSession.part(row) else { return nil }
            let fbs = try row.optionalText("fbs_state").flatMap(FBSPartState.init(rawValue:)).map {
                FBSPartStatus(state: $0, confirmationID: try row.optionalText("fbs_confirmation_id"), reason: try row.optionalText("fbs_reason"))
            }
            return StoredPart(id: try row.int64("id"), part: part, isReversal: try row.bool("reversal"),
                              allocatedAt: Instant(millisecondsSinceEpoch: try row.int("allocated_at")), cycleID: try row.int64("cycle_id"),
                              fbs: fbs)
        }
    }

    func firstBatch(carrying part: StoredPart) async throws -> StoredBatch? {
        try await transaction.row("""
            SELECT \(unescaped: PostgresCycleSession.batchColumns("b"))
            FROM §export_batch_run r JOIN §export_batch b ON b.id = r.batch_id
            WHERE r.cycle_id = \(part.cycleID) AND b.channel = \(part.part.channel.rawValue)
            ORDER BY b.id LIMIT 1
            """).map(PostgresCycleSession.batch)
    }

    func confirmations(ofPayment payment: RowID) async throws -> PaymentConfirmations {
        let rows = try await transaction.rows("""
            SELECT e.subject, c.as_of, c.loaded_at, c.file_name FROM §debtor_export e JOIN §debtor_confirmation c ON c.id = e.confirmation_id
            WHERE (e.subject = 'payment' AND e.subject_id = \(payment))
               OR (e.subject = 'void' AND e.subject_id = (SELECT id FROM §void WHERE payment_id = \(payment)))
            """)
        func confirmation(_ subject: String) throws -> DebtorConfirmation? {
            guard let row = try rows.first(where: { try $0.text("subject") == subject }) else { return nil }
            return DebtorConfirmation(asOf: Instant(millisecondsSinceEpoch: try row.int("as_of")),
                                      loadedAt: Instant(millisecondsSinceEpoch: try row.int("loaded_at")), snapshotFile: try row.text("file_name"))
        }
        return PaymentConfirmations(payment: try confirmation("payment"), reversal: try confirmation("void"))
    }

    func claimEvidence(payerDigits: String) async throws -> [ClaimEvidence] {
        try await PostgresClaimEvidence(transaction: transaction).read(payers: [payerDigits])[payerDigits] ?? []
    }

    func snapshots() async throws -> [StoredSnapshot] {
        try await PostgresClaimsSession.snapshots(transaction)
    }

    func openClaims(payerDigits: String, payableIn: PaymentChannel) async throws -> [Claim] {
        try await transaction.rows("""
            SELECT c.source, c.claim_id, c.payer, c.claim_type, c.created_on, c.due_on, c.original_ore, c.outstanding_ore, c.payable_in
            FROM §claim c
            WHERE c.payer = \(payerDigits) AND c.payable_in = \(payableIn.rawValue) AND c.outstanding_ore > 0
              AND (c.source = 'DEBTOR' OR NOT EXISTS (SELECT 1 FROM §claim d WHERE d.source = 'DEBTOR' AND d.claim_id = c.claim_id))
            ORDER BY c.created_on, c.due_on IS NULL, c.due_on, c.claim_id
            """).compactMap(PostgresClaimsSession.claim)
    }

    func trail(subject: String, id: RowID) async throws -> [TrailEntry] {
        try await PostgresSubjectTrail(transaction: transaction, subject: subject, id: id).entries()
    }
}

/// One subject's history: its own trail rows, and the rows that speak for it as one of
/// many (its file's booking, its cycle's allocation, each published batch that carried it).
/// Trails copied from an embedded store of before explicit membership name runs of ids
/// instead; those are still found.
struct PostgresSubjectTrail {
    let transaction: PostgresTransaction
    let subject: String
    let id: RowID

    private typealias Found = (id: Int64, at: Int, event: String, cause: String)

    func entries() async throws -> [TrailEntry] {
        var rows: [Found]
        switch subject {
        case "payment":
            rows = try await paymentRows()
        case "void":
            rows = try await ownRows()
            rows += try await reversalPublications()
            rows += try await confirmation()
        default:
            rows = try await ownRows()
        }
        return rows.sorted { $0.id < $1.id }.map {
            TrailEntry(at: Instant(millisecondsSinceEpoch: $0.at), subject: subject, subjectID: id, event: $0.event, cause: $0.cause)
        }
    }

    private func ownRows() async throws -> [Found] {
        try await fetch("""
            SELECT id, at, event, cause FROM §trail WHERE subject = \(subject) AND subject_id = \(id) AND through_id IS NULL
            """)
    }

    /// A payment's own rows and the rows that speak for it (its file's booking, its cycle's
    /// allocation, the batches that carried it, the snapshot that confirmed it), read in one
    /// statement: a receipt lookup in a new connection pays for each statement's planning.
    /// A row that speaks for it is left out where the payment has its own row of that event.
    private func paymentRows() async throws -> [Found] {
        var byKind: [String: [Found]] = [:]
        for row in try await transaction.rows("""
            SELECT 'own' AS kind, id, at, event, cause FROM §trail WHERE subject = 'payment' AND subject_id = \(id) AND through_id IS NULL
            UNION ALL
            SELECT 'booking', t.id, t.at, t.event, t.cause FROM §payment p
            JOIN §trail t ON t.subject = 'file' AND t.subject_id = p.file_id AND t.event = 'booked'
            WHERE p.id = \(id)
            UNION ALL
            SELECT 'allocation', t.id, t.at, t.event, t.cause FROM §trail t
            WHERE t.subject = 'cycle' AND t.event = 'allocated'
              AND t.subject_id IN (SELECT cycle_id FROM §allocation_part WHERE payment_id = \(id) AND void_id IS NULL)
            UNION ALL
            \(unescaped: Self.publicationsSQL) \(id) AND a.void_id IS NULL)
            UNION ALL
            SELECT 'confirmation', t.id, t.at, t.event, t.cause FROM §debtor_export e
            JOIN §trail t ON t.subject = 'confirmation' AND t.subject_id = e.confirmation_id AND t.event = 'confirmed'
            WHERE e.subject = 'payment' AND e.subject_id = \(id)
            """) {
            byKind[try row.text("kind"), default: []].append((try row.int64("id"), try row.int("at"), try row.text("event"), try row.text("cause")))
        }
        let own = byKind["own"] ?? []
        let events = Set(own.map(\.event))
        var rows = own
        if !events.contains("booked") {
            let booking = byKind["booking"] ?? []
            rows += booking.isEmpty ? try await covering("payment", id) : booking
        }
        if !events.contains("allocated") {
            let allocation = byKind["allocation"] ?? []
            rows += allocation.isEmpty ? try await coveringAllocation() : allocation
        }
        if !events.contains("exported") { rows += byKind["publication"] ?? [] }
        return rows + (byKind["confirmation"] ?? [])
    }

    private func fetch(_ query: PostgresQuery) async throws -> [Found] {
        try await transaction.rows(query).map { (try $0.int64("id"), try $0.int("at"), try $0.text("event"), try $0.text("cause")) }
    }

    /// An older trail's allocation row, naming a run of parts that holds the payment's first.
    private func coveringAllocation() async throws -> [Found] {
        guard let part = try await transaction.row("""
            SELECT MIN(id) AS part FROM §allocation_part WHERE payment_id = \(id) AND void_id IS NULL
            """)?.optionalInt64("part") else { return [] }
        return try await covering("allocation_part", part)
    }

    /// The published batches that carried a payment's parts, shown as "exported"; the
    /// statement goes on with the payment's id, a condition on the parts (`a`) and a
    /// closing parenthesis.
    private static let publicationsSQL = """
        SELECT 'publication' AS kind, t.id, t.at, 'exported' AS event, t.cause FROM §trail t
        WHERE t.subject = 'batch' AND t.event = 'published'
          AND t.subject_id IN (SELECT r.batch_id FROM §allocation_part a
                               JOIN §export_batch_run r ON r.cycle_id = a.cycle_id
                               JOIN §export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                               WHERE a.payment_id =
        """

    /// The published batches that carried a void's reversal.
    private func reversalPublications() async throws -> [Found] {
        guard let payment = try await transaction.row("SELECT payment_id FROM §void WHERE id = \(id)")?.int64("payment_id") else { return [] }
        return try await transaction.rows("\(unescaped: Self.publicationsSQL) \(payment) AND a.void_id = \(id))").map {
            (try $0.int64("id"), try $0.int("at"), try $0.text("event"), try $0.text("cause"))
        }
    }

    /// The row of the DEBTOR snapshot that confirmed the export.
    private func confirmation() async throws -> [Found] {
        try await fetch("""
            SELECT t.id, t.at, t.event, t.cause FROM §debtor_export e
            JOIN §trail t ON t.subject = 'confirmation' AND t.subject_id = e.confirmation_id AND t.event = 'confirmed'
            WHERE e.subject = \(subject) AND e.subject_id = \(id)
            """)
    }

    /// A row of an older trail that names a run of subjects including `member`.
    private func covering(_ runSubject: String, _ member: Int64) async throws -> [Found] {
        guard let row = try await transaction.row("""
            SELECT id, at, event, cause, through_id FROM §trail
            WHERE subject = \(runSubject) AND subject_id <= \(member) AND through_id IS NOT NULL ORDER BY subject_id DESC LIMIT 1
            """), let through = try row.optionalInt64("through_id"), through >= member else { return [] }
        return [(try row.int64("id"), try row.int("at"), try row.text("event"), try row.text("cause"))]
    }
}
