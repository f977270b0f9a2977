import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// Loading a claims snapshot in SQLite.
///
/// Its state (cached statements, the first repeated claim, the trail's rows) is used by
/// its connection's thread only, one job at a time.
final class SQLiteClaimsSession: ClaimsSession, TrailWritingSession, @unchecked Sendable {
    let connection: ConfinedConnection
    let trail = SQLiteTrail()

    private var claimInsert: BulkStatement?
    private var repeated: SnapshotClaim?

    init(_ connection: ConfinedConnection) {
        self.connection = connection
    }

    static func snapshot(_ row: Row) -> StoredSnapshot? {
        guard let source = ClaimSource(rawValue: row["source"]) else { return nil }
        return StoredSnapshot(source: source, asOf: Instant(row: row["as_of"]), loadedAt: Instant(row: row["loaded_at"]),
                              fileName: row["file_name"], claims: row["claims"], outstanding: Amount(ore: row["outstanding_ore"]),
                              appliedRecords: row["applied_records"])
    }

    static let snapshotColumns = "source, as_of, loaded_at, file_name, claims, outstanding_ore, applied_records"

    static func snapshots(_ db: Database) throws -> [StoredSnapshot] {
        try Row.fetchAll(db, sql: "SELECT \(snapshotColumns) FROM claims_snapshot ORDER BY source").compactMap(snapshot)
    }

    func currentSnapshot(source: ClaimSource) async throws -> StoredSnapshot? {
        try await connection.run { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.snapshotColumns) FROM claims_snapshot WHERE source = ?",
                             arguments: [source.rawValue]).flatMap(Self.snapshot)
        }
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

    func beginReplacing(_ header: ClaimsSnapshotHeader) async throws {
        try await connection.run { db in
            try db.execute(sql: "DROP INDEX IF EXISTS claim_payer")
            try db.execute(sql: "DROP INDEX IF EXISTS claim_id")
            try db.execute(sql: "DELETE FROM claim WHERE source = ?", arguments: [header.source.rawValue])
            try db.execute(sql: "DELETE FROM applied_transaction WHERE source = ?", arguments: [header.source.rawValue])
        }
    }

    func insertClaims(_ claims: [SnapshotClaim]) async throws {
        try await connection.run { db in
            let statement = try self.claimInsert ?? BulkStatement(db, sql: """
                INSERT OR IGNORE INTO claim (source, claim_id, payer, claim_type, created_on, due_on, original_ore, outstanding_ore, payable_in)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            self.claimInsert = statement
            for numbered in claims {
                let claim = numbered.claim
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
                if db.changesCount != 1 && self.repeated == nil { self.repeated = numbered }
            }
        }
    }

    func insertApplied(_ applied: [AppliedTransaction], source: ClaimSource) async throws {
        try await connection.run { db in
            let statement = try db.cachedStatement(sql: "INSERT OR IGNORE INTO applied_transaction (source, kiosk_id, transaction_id) VALUES (?, ?, ?)")
            for transaction in applied {
                try statement.execute(arguments: [source.rawValue, transaction.kioskID.value, transaction.transactionID])
            }
        }
    }

    func finishReplacing(_ snapshot: StoredSnapshot, sha256: String, at: Instant) async throws -> SnapshotClaim? {
        try await connection.run { db in
            if let repeated = self.repeated { return repeated }
            for index in Self.claimIndexes { try db.execute(sql: index) }
            try db.execute(sql: """
                INSERT INTO claims_snapshot (source, as_of, loaded_at, file_name, sha256, claims, outstanding_ore, applied_records)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(source) DO UPDATE SET as_of = excluded.as_of, loaded_at = excluded.loaded_at, file_name = excluded.file_name,
                    sha256 = excluded.sha256, claims = excluded.claims, outstanding_ore = excluded.outstanding_ore,
                    applied_records = excluded.applied_records
                """, arguments: [snapshot.source.rawValue, snapshot.asOf.millisecondsSinceEpoch, at.millisecondsSinceEpoch,
                                 snapshot.fileName, sha256, snapshot.claims, snapshot.outstanding.ore, snapshot.appliedRecords])
            self.trail.append(at: at, "snapshot", snapshot.source == .debtor ? 1 : 2, "loaded", cause: ClaimsTrail.loaded(snapshot))
            return nil
        }
    }

    func confirmExports(by snapshot: StoredSnapshot, at: Instant) async throws -> ConfirmationTally {
        guard snapshot.source == .debtor else { return ConfirmationTally() }
        return try await connection.run { db in
            let reflected = DebtorConfirmationSchema.reflected(by: snapshot, asOf: "?")
            let arguments: StatementArguments = snapshot.appliedRecords > 0 ? [] : [snapshot.asOf.millisecondsSinceEpoch]
            guard let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(CASE WHEN e.subject = 'payment' THEN 1 END) AS payments, COUNT(CASE WHEN e.subject = 'void' THEN 1 END) AS reversals,
                       COALESCE(SUM(e.amount_ore), 0) AS sum_ore
                FROM debtor_export e WHERE e.confirmation_id IS NULL AND \(reflected)
                """, arguments: arguments) else { return ConfirmationTally() }
            let tally = ConfirmationTally(payments: row["payments"], reversals: row["reversals"], sum: Amount(ore: row["sum_ore"]))
            guard tally.payments + tally.reversals > 0 else { return tally }
            try db.execute(sql: """
                INSERT INTO debtor_confirmation (as_of, loaded_at, file_name, rule, payments, reversals, sum_ore) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [snapshot.asOf.millisecondsSinceEpoch, at.millisecondsSinceEpoch, snapshot.fileName,
                                 DebtorConfirmationSchema.rule(of: snapshot), tally.payments, tally.reversals, tally.sum.ore])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE debtor_export AS e SET confirmation_id = \(id) WHERE e.confirmation_id IS NULL AND \(reflected)",
                           arguments: arguments)
            self.trail.append(at: at, "confirmation", id, "confirmed", cause: ClaimsTrail.confirmed(tally, by: snapshot))
            return tally
        }
    }
}
