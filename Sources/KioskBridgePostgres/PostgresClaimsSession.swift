import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// Loading a claims snapshot in PostgreSQL.
///
/// The claims arrive through COPY into a temporary table first: a claim id listed twice
/// must not abort the load half-way with a key violation (which would also abort the
/// transaction), but be found and named, as the embedded store does, before anything is
/// finished. Then they go into the claim table in one statement.
final class PostgresClaimsSession: ClaimsSession, PostgresTrailSession {
    let transaction: PostgresTransaction
    let trail = PostgresTrail()
    private var stagingCreated = false

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    static let snapshotColumns = "source, as_of, loaded_at, file_name, claims, outstanding_ore, applied_records"

    static func snapshot(_ row: PostgresStoredRow) throws -> StoredSnapshot? {
        guard let source = ClaimSource(rawValue: try row.text("source")) else { return nil }
        return StoredSnapshot(source: source, asOf: Instant(millisecondsSinceEpoch: try row.int("as_of")),
                              loadedAt: Instant(millisecondsSinceEpoch: try row.int("loaded_at")), fileName: try row.text("file_name"),
                              claims: try row.int("claims"), outstanding: Amount(ore: try row.int("outstanding_ore")),
                              appliedRecords: try row.int("applied_records"))
    }

    static func snapshots(_ transaction: PostgresTransaction) async throws -> [StoredSnapshot] {
        try await transaction.rows("SELECT \(unescaped: snapshotColumns) FROM §claims_snapshot ORDER BY source").compactMap(snapshot)
    }

    /// A claim row (source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in).
    static func claim(_ row: PostgresStoredRow) throws -> Claim? {
        guard let source = ClaimSource(rawValue: try row.text("source")), let payer = Payer(storedDigits: try row.text("payer")),
              let createdOn = LocalDate(iso: try row.text("created_on")), let payableIn = PaymentChannel(rawValue: try row.text("payable_in"))
        else { return nil }
        return Claim(id: try row.text("claim_id"), payer: payer, claimType: try row.text("claim_type"), createdOn: createdOn,
                     dueOn: try row.optionalText("due_on").flatMap { LocalDate(iso: $0) }, originalAmount: Amount(ore: try row.int("original_ore")),
                     outstanding: Amount(ore: try row.int("outstanding_ore")), payableIn: payableIn, source: source)
    }

    func currentSnapshot(source: ClaimSource) async throws -> StoredSnapshot? {
        try await transaction.row("SELECT \(unescaped: Self.snapshotColumns) FROM §claims_snapshot WHERE source = \(source.rawValue)")
            .flatMap(Self.snapshot)
    }

    func beginReplacing(_ header: ClaimsSnapshotHeader) async throws {
        try await transaction.execute("DELETE FROM §claim WHERE source = \(header.source.rawValue)")
        try await transaction.execute("DELETE FROM §applied_transaction WHERE source = \(header.source.rawValue)")
        if !stagingCreated {
            try await transaction.execute("""
                CREATE TEMPORARY TABLE claim_staging (
                    line BIGINT NOT NULL, source TEXT COLLATE "C" NOT NULL, claim_id TEXT COLLATE "C" NOT NULL, payer TEXT COLLATE "C" NOT NULL,
                    claim_type TEXT COLLATE "C" NOT NULL, created_on TEXT COLLATE "C" NOT NULL, due_on TEXT COLLATE "C",
                    original_ore BIGINT NOT NULL, outstanding_ore BIGINT NOT NULL, payable_in TEXT COLLATE "C" NOT NULL
                ) ON COMMIT DROP
                """)
            stagingCreated = true
        }
    }

    func insertClaims(_ claims: [SnapshotClaim]) async throws {
        guard !claims.isEmpty else { return }
        try await transaction.copy(into: "pg_temp.claim_staging", columns: [
            "line", "source", "claim_id", "payer", "claim_type", "created_on", "due_on", "original_ore", "outstanding_ore", "payable_in",
        ], claims, via: .copy) { numbered, text in
            let claim = numbered.claim
            text.add(numbered.line)
            text.add(claim.source.rawValue)
            text.add(claim.id)
            text.add(claim.payer.digits)
            text.add(claim.claimType)
            text.add(claim.createdOn.description)
            text.add(claim.dueOn?.description)
            text.add(claim.originalAmount.ore)
            text.add(claim.outstanding.ore)
            text.add(claim.payableIn.rawValue)
        }
    }

    func insertApplied(_ applied: [AppliedTransaction], source: ClaimSource) async throws {
        guard !applied.isEmpty else { return }
        try await transaction.execute("""
            INSERT INTO §applied_transaction (source, kiosk_id, transaction_id)
            SELECT \(source.rawValue), kiosk, transaction FROM unnest(\(applied.map(\.kioskID.value)), \(applied.map(\.transactionID)))
                AS t(kiosk, transaction)
            ON CONFLICT DO NOTHING
            """)
    }

    func finishReplacing(_ snapshot: StoredSnapshot, sha256: String, at: Instant) async throws -> SnapshotClaim? {
        if stagingCreated {
            // The first listing that repeats an earlier one, in file order.
            if let row = try await transaction.row("""
                SELECT line, source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in
                FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY source, claim_id ORDER BY line) AS listing FROM pg_temp.claim_staging) s
                WHERE listing > 1 ORDER BY line LIMIT 1
                """), let claim = try Self.claim(row) {
                return SnapshotClaim(claim: claim, line: try row.int("line"))
            }
            try await transaction.execute("""
                INSERT INTO §claim (source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in)
                SELECT source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in
                FROM pg_temp.claim_staging ORDER BY payer, claim_type, source, claim_id
                """)
            try await transaction.execute("DROP TABLE pg_temp.claim_staging")
            stagingCreated = false
        }
        try await transaction.execute("""
            INSERT INTO §claims_snapshot (source, as_of, loaded_at, file_name, sha256, claims, outstanding_ore, applied_records)
            VALUES (\(snapshot.source.rawValue), \(snapshot.asOf.millisecondsSinceEpoch), \(at.millisecondsSinceEpoch), \(snapshot.fileName),
                    \(sha256), \(snapshot.claims), \(snapshot.outstanding.ore), \(snapshot.appliedRecords))
            ON CONFLICT (source) DO UPDATE SET as_of = excluded.as_of, loaded_at = excluded.loaded_at, file_name = excluded.file_name,
                sha256 = excluded.sha256, claims = excluded.claims, outstanding_ore = excluded.outstanding_ore,
                applied_records = excluded.applied_records
            """)
        trail.append(at: at, "snapshot", snapshot.source == .debtor ? 1 : 2, "loaded", cause: ClaimsTrail.loaded(snapshot))
        return nil
    }

    func confirmExports(by snapshot: StoredSnapshot, at: Instant) async throws -> ConfirmationTally {
        guard snapshot.source == .debtor else { return ConfirmationTally() }
        let reflected = DebtorConfirmationSchema.reflected(by: snapshot, table: { "§" + $0 }, asOf: String(snapshot.asOf.millisecondsSinceEpoch))
        guard let row = try await transaction.row("""
            SELECT COUNT(CASE WHEN e.subject = 'payment' THEN 1 END) AS payments, COUNT(CASE WHEN e.subject = 'void' THEN 1 END) AS reversals,
                   COALESCE(SUM(e.amount_ore), 0)::BIGINT AS sum_ore
            FROM §debtor_export e WHERE e.confirmation_id IS NULL AND \(unescaped: reflected)
            """) else { return ConfirmationTally() }
        let tally = ConfirmationTally(payments: try row.int("payments"), reversals: try row.int("reversals"), sum: Amount(ore: try row.int("sum_ore")))
        guard tally.payments + tally.reversals > 0 else { return tally }
        guard let id = try await transaction.row("""
            INSERT INTO §debtor_confirmation (as_of, loaded_at, file_name, rule, payments, reversals, sum_ore)
            VALUES (\(snapshot.asOf.millisecondsSinceEpoch), \(at.millisecondsSinceEpoch), \(snapshot.fileName),
                    \(DebtorConfirmationSchema.rule(of: snapshot)), \(tally.payments), \(tally.reversals), \(tally.sum.ore))
            RETURNING id
            """)?.int64("id") else { return tally }
        try await transaction.execute("""
            UPDATE §debtor_export AS e SET confirmation_id = \(id) WHERE e.confirmation_id IS NULL AND \(unescaped: reflected)
            """)
        trail.append(at: at, "confirmation", id, "confirmed", cause: ClaimsTrail.confirmed(tally, by: snapshot))
        return tally
    }
}
