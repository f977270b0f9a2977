import GRDB
import KioskBridgeCore
import KioskBridgeStore

/// What bears on payers' claims' effective outstanding: the cycle allocates with it, and
/// the till's preview shows the allocation the cycle will make.
enum SQLiteClaimEvidence {
    /// The effective claims of these payers (a claim id listed by both sources is the
    /// debtor's), each with the bridge's parts on it.
    static func read(_ db: Database, payers: [String]) throws -> [String: [ClaimEvidence]] {
        guard !payers.isEmpty else { return [:] }
        var result: [String: [ClaimEvidence]] = [:]
        for chunk in stride(from: 0, to: payers.count, by: 2000).map({ Array(payers[$0..<min($0 + 2000, payers.count)]) }) {
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let claims = try SQLiteClaimRows.fetch(db, where: "c.payer IN (\(marks)) AND \(SQLiteClaimRows.effective)") { values in
                for payer in chunk { values.add(payer) }
            }
            guard !claims.isEmpty else { continue }
            let parts = try bridgeParts(db, onClaimsOfPayers: ClaimEvidence.payers(of: claims))
            for claim in claims {
                let evidence = ClaimEvidence(claim: claim, bridgeParts: parts[ClaimKey(source: claim.source.rawValue, id: claim.id)] ?? [])
                result[claim.payer.digits, default: []].append(evidence)
            }
        }
        return result
    }

    private struct ClaimKey: Hashable {
        let source: String
        let id: String
    }

    /// The bridge's parts on these payers' claims. A payment is only ever allocated to its
    /// own payer's claims, so they are found from the payer's payments: an index of parts by
    /// claim id would be written at random for every part. `payers` are those with claims
    /// (``ClaimEvidence/payers(of:)``).
    private static func bridgeParts(_ db: Database, onClaimsOfPayers payers: [String]) throws
        -> [ClaimKey: [EffectiveOutstanding.BridgePart]] {
        let marks = Array(repeating: "?", count: payers.count).joined(separator: ",")
        let statement = try BulkStatement(db, sql: """
            SELECT c.source, a.claim_id, a.amount_ore,
                   (SELECT MIN(b.created_at) FROM export_batch_run r JOIN export_batch b ON b.id = r.batch_id
                     WHERE r.cycle_id = a.cycle_id AND b.channel = a.channel) AS exported_at,
                   EXISTS (SELECT 1 FROM applied_transaction t
                            WHERE t.source = c.source AND t.kiosk_id = p.kiosk_id
                              AND t.transaction_id = COALESCE(v.void_id, p.transaction_id)) AS listed
            FROM payment p INDEXED BY payment_payer
            JOIN allocation_part a ON a.payment_id = p.id AND a.claim_id IS NOT NULL
            JOIN claim c ON c.claim_id = a.claim_id AND c.payer = p.payer
            LEFT JOIN void v ON v.id = a.void_id
            WHERE p.payer IN (\(marks))
            """, columns: ["source", "claim_id", "amount_ore", "exported_at", "listed"])
        var parts: [ClaimKey: [EffectiveOutstanding.BridgePart]] = [:]
        try statement.forEachRow({ values in
            for payer in payers { values.add(payer) }
        }) { row in
            parts[ClaimKey(source: row.text(0), id: row.text(1)), default: []].append(
                EffectiveOutstanding.BridgePart(signedAmount: Amount(ore: row.int(2)), exportedAt: row.optionalInt(3).map(Instant.init(row:)),
                                                listedAsApplied: row.int(4) != 0))
        }
        return parts
    }
}
