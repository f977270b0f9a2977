import KioskBridgeCore
import KioskBridgeStore
import PostgresNIO

/// What bears on payers' claims' effective outstanding: the cycle allocates with it, and
/// the till's preview shows the allocation the cycle will make.
struct PostgresClaimEvidence {
    let transaction: PostgresTransaction

    /// The effective claims of these payers (a claim id listed by both sources is the
    /// debtor's), each with the bridge's parts on it.
    func read(payers: [String]) async throws -> [String: [ClaimEvidence]] {
        guard !payers.isEmpty else { return [:] }
        let claims = try await transaction.rows("""
            SELECT c.source, c.claim_id, c.payer, c.claim_type, c.created_on, c.due_on, c.original_ore, c.outstanding_ore, c.payable_in
            FROM §claim c
            WHERE c.payer = ANY(\(payers))
              AND (c.source = 'DEBTOR' OR NOT EXISTS (SELECT 1 FROM §claim d WHERE d.source = 'DEBTOR' AND d.claim_id = c.claim_id))
            ORDER BY c.payer, c.claim_type, c.source, c.claim_id
            """).compactMap(PostgresClaimsSession.claim)
        guard !claims.isEmpty else { return [:] }
        let parts = try await bridgeParts(onClaimsOfPayers: ClaimEvidence.payers(of: claims))
        var result: [String: [ClaimEvidence]] = [:]
        for claim in claims {
            let evidence = ClaimEvidence(claim: claim, bridgeParts: parts[ClaimKey(source: claim.source.rawValue, id: claim.id)] ?? [])
            result[claim.payer.digits, default: []].append(evidence)
        }
        return result
    }

    private struct ClaimKey: Hashable {
        let source: String
        let id: String
    }

    /// The bridge's parts on these payers' claims, found from the payers' payments (a
    /// payment is only ever allocated to its own payer's claims). `payers` are those with
    /// claims (``ClaimEvidence/payers(of:)``).
    private func bridgeParts(onClaimsOfPayers payers: [String]) async throws -> [ClaimKey: [EffectiveOutstanding.BridgePart]] {
        var parts: [ClaimKey: [EffectiveOutstanding.BridgePart]] = [:]
        for row in try await transaction.rows("""
            SELECT c.source, a.claim_id, a.amount_ore,
                   (SELECT MIN(b.created_at) FROM §export_batch_run r JOIN §export_batch b ON b.id = r.batch_id
                     WHERE r.cycle_id = a.cycle_id AND b.channel = a.channel) AS exported_at,
                   EXISTS (SELECT 1 FROM §applied_transaction t
                            WHERE t.source = c.source AND t.kiosk_id = p.kiosk_id
                              AND t.transaction_id = COALESCE(v.void_id, p.transaction_id)) AS listed
            FROM §payment p
            JOIN §allocation_part a ON a.payment_id = p.id AND a.claim_id IS NOT NULL
            JOIN §claim c ON c.claim_id = a.claim_id AND c.payer = p.payer
            LEFT JOIN §void v ON v.id = a.void_id
            WHERE p.payer = ANY(\(payers))
            ORDER BY a.id
            """) {
            let exportedAt = try row.optionalInt("exported_at")
            parts[ClaimKey(source: try row.text("source"), id: try row.text("claim_id")), default: []].append(
                EffectiveOutstanding.BridgePart(signedAmount: Amount(ore: try row.int("amount_ore")),
                                                exportedAt: exportedAt.map { Instant(millisecondsSinceEpoch: $0) },
                                                listedAsApplied: try row.bool("listed")))
        }
        return parts
    }
}
