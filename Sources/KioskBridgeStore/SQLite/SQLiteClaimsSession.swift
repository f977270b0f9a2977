import KioskBridgeCore
import GRDB

final class SQLiteClaimsSession: ClaimsSession {
    let db: Database

    let trail: TrailWriter

    private var claimInsert: BulkStatement?

    init(_ db: Database) {
        self.db = db
        trail = TrailWriter(db)
    }

    static func snapshot(_ row: Row) -> StoredSnapshot? {
        guard let source = ClaimSource(rawValue: row[0]) else { return nil }
        return StoredSnapshot(source: source, asOf: Instant(row: row[1]), loadedAt: Instant(row: row[2]), fileName: row[3],
                              claims: row[4], outstanding: Amount(ore: row[5]), appliedRecords: row[6])
    }

    static func snapshots(_ db: Database) throws -> [StoredSnapshot] {
        try Row.fetchAll(db, sql: """
            SELECT source, as_of, loaded_at, file_name, claims, outstanding_ore, applied_records FROM claims_snapshot ORDER BY source
            """).compactMap(snapshot)
    }

    /// A claim row (source, claim_id, payer, claim_type, created_on, due_on, original, outstanding, payable_in).
    static func claim(_ row: Row) -> Claim? {
        guard let source = ClaimSource(rawValue: row[0]), let payer = Payer(storedDigits: row[2]),
              let createdOn = LocalDate(iso: row[4] as String), let payableIn = PaymentChannel(rawValue: row[8]) else { return nil }
        let dueText: String? = row[5]
        return Claim(id: row[1], payer: payer, claimType: row[3], createdOn: createdOn, dueOn: dueText.flatMap { LocalDate(iso: $0) },
                     originalAmount: Amount(ore: row[6]), outstanding: Amount(ore: row[7]), payableIn: payableIn, source: source)
    }

    func currentSnapshot(source: ClaimSource) throws -> StoredSnapshot? {
        try Row.fetchOne(db, sql: """
            SELECT source, as_of, loaded_at, file_name, claims, outstanding_ore, applied_records FROM claims_snapshot WHERE source = ?
            """, arguments: [source.rawValue]).flatMap(Self.snapshot)
    }

    /// The claim table's secondary indexes. A snapshot replaces a source's claims as a whole,
    /// so they are dropped while it loads and built again, sorted, at the end (inside the same
    /// transaction): keeping them up to date claim by claim, in the snapshot's order, writes
    /// the payer index at random and costs several times the load itself.
    static let claimIndexes = [
        // Carries the whole claim: allocation reads claims by payer from the index alone.
        "CREATE INDEX claim_payer ON claim(payer, claim_type, source, claim_id, created_on, due_on, original_ore, outstanding_ore, payable_in)",
        "CREATE INDEX claim_id ON claim(claim_id)",
    ]

    func beginReplacing(_ header: ClaimsSnapshotHeader) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS claim_payer")
        try db.execute(sql: "DROP INDEX IF EXISTS claim_id")
        try db.execute(sql: "DELETE FROM claim WHERE source = ?", arguments: [header.source.rawValue])
        try db.execute(sql: "DELETE FROM applied_transaction WHERE source = ?", arguments: [header.source.rawValue])
    }

    func insertClaim(_ claim: Claim) throws -> Bool {
        let statement = try claimInsert ?? BulkStatement(db, sql: """
            INSERT OR IGNORE INTO claim (source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        claimInsert = statement
        try statement.run { values in
            values.add(claim.source.rawValue)
            values.add(claim.id)
            values.add(claim.payer.digits)
            values.add(claim.claimType)
            values.add(claim.createdOn.description)
            values.add(claim.dueOn?.description)
            values.add(claim.originalAmount.ore)
            values.add(claim.outstanding.ore)
            values.add(claim.payableIn.rawValue)
        }
        return db.changesCount == 1
    }

    func insertApplied(_ applied: AppliedTransaction, source: ClaimSource) throws {
        let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO applied_transaction (source, kiosk_id, transaction_id) VALUES (?, ?, ?)")
        try statement.execute(arguments: [source.rawValue, applied.kioskID.value, applied.transactionID])
    }

    func finishReplacing(_ snapshot: StoredSnapshot, sha256: String, at: Instant) throws {
        for index in Self.claimIndexes { try db.execute(sql: index) }
        try db.execute(sql: """
            INSERT INTO claims_snapshot (source, as_of, loaded_at, file_name, sha256, claims, outstanding_ore, applied_records)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source) DO UPDATE SET as_of = excluded.as_of, loaded_at = excluded.loaded_at, file_name = excluded.file_name,
                sha256 = excluded.sha256, claims = excluded.claims, outstanding_ore = excluded.outstanding_ore,
                applied_records = excluded.applied_records
            """, arguments: [snapshot.source.rawValue, snapshot.asOf.millisecondsSinceEpoch, at.millisecondsSinceEpoch,
                             snapshot.fileName, sha256, snapshot.claims, snapshot.outstanding.ore, snapshot.appliedRecords])
        try trail.append(at: at, "snapshot", snapshot.source == .debtor ? 1 : 2, "loaded",
                     cause: "\(snapshot.fileName) as of \(Timestamp.format(snapshot.asOf)): \(snapshot.claims) claims, outstanding \(snapshot.outstanding), \(snapshot.appliedRecords) applied payments")
    }
}
