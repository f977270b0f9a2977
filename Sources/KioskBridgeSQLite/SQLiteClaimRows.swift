import GRDB
import KioskBridgeCore
import KioskBridgeStore

/// Claims read from the claim table: the allocation reads those of a few thousand payers
/// each round, so their columns are read by position through a ``BulkStatement`` rather than
/// by name through GRDB's rows (looking a column up by name was a visible share of a
/// million-payment cycle's allocation).
enum SQLiteClaimRows {
    /// The columns of a claim, in the order ``claim(_:)`` reads them, of the claim table `c`.
    static let columns = "c.source, c.claim_id, c.payer, c.claim_type, c.created_on, c.due_on, c.original_ore, c.outstanding_ore, c.payable_in"
    private static let columnNames = ["source", "claim_id", "payer", "claim_type", "created_on", "due_on", "original_ore",
                                      "outstanding_ore", "payable_in"]

    /// The condition on claim `c` that keeps only its effective claims: a claim id listed by
    /// both sources is the debtor's.
    static let effective = "(c.source = 'DEBTOR' OR NOT EXISTS (SELECT 1 FROM claim d WHERE d.source = 'DEBTOR' AND d.claim_id = c.claim_id))"

    /// The claims `c` for which `condition` holds, its parameters bound by `bind`, in the order
    /// `orderBy` gives (SQLite's own without it). A row that no longer reads as a claim (a
    /// pseudonymised payer, a date that is not one) is left out, as everywhere claims are read.
    static func fetch(_ db: Database, where condition: String, orderBy: String? = nil,
                      bind: (inout BulkStatement.Values) -> Void) throws -> [Claim] {
        let order = orderBy.map { " ORDER BY \($0)" } ?? ""
        let statement = try BulkStatement(db, sql: "SELECT \(columns) FROM claim c WHERE \(condition)\(order)", columns: columnNames)
        var claims: [Claim] = []
        try statement.forEachRow(bind) { row in
            if let claim = claim(row) { claims.append(claim) }
        }
        return claims
    }

    /// A claim from a row of ``columns``.
    static func claim(_ row: BulkStatement.Columns) -> Claim? {
        guard let source = ClaimSource(rawValue: row.text(0)), let payer = Payer(storedDigits: row.text(2)),
              let createdOn = LocalDate(iso: row.text(4)), let payableIn = PaymentChannel(rawValue: row.text(8))
        else { return nil }
        return Claim(id: row.text(1), payer: payer, claimType: row.text(3), createdOn: createdOn,
                     dueOn: row.optionalText(5).flatMap { LocalDate(iso: $0) }, originalAmount: Amount(ore: row.int(6)),
                     outstanding: Amount(ore: row.int(7)), payableIn: payableIn, source: source)
    }
}
