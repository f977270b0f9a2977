import KioskBridgeCore
import KioskBridgeStore
import GRDB

/// One subject's history: its own trail rows, and the rows that speak for it as one of
/// many (its file's booking, its cycle's allocation, each published batch that carried it).
///
/// Membership is read from the subject itself (a payment's file, its parts' cycles, the
/// runs a batch carries). Trails written before that have runs of ids instead (one row
/// naming the first and the last payment of a file, or of a cycle's parts); those are
/// still found.
struct SQLiteSubjectTrail {
    let db: Database
    let subject: String
    let id: RowID

    private typealias Found = (id: Int64, at: Int, event: String, cause: String)

    func entries() throws -> [TrailEntry] {
        var rows = try fetch("""
            SELECT id, at, event, cause FROM trail WHERE subject = ? AND subject_id = ? AND through_id IS NULL
            """, [subject, id])
        switch subject {
        case "payment":
            let own = Set(rows.map(\.event))
            if !own.contains("booked") { rows += try booking() }
            if !own.contains("allocated") { rows += try allocation() }
            if !own.contains("exported") { rows += try publications(carrier: "a.payment_id = ? AND a.void_id IS NULL") }
            rows += try confirmation(subject: "payment")
        case "void":
            rows += try publications(carrier: "a.void_id = ?")
            rows += try confirmation(subject: "void")
        default:
            break
        }
        return rows.sorted { $0.id < $1.id }.map {
            TrailEntry(at: Instant(millisecondsSinceEpoch: $0.at), subject: subject, subjectID: id, event: $0.event, cause: $0.cause)
        }
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments) throws -> [Found] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { ($0["id"], $0["at"], $0["event"], $0["cause"]) }
    }

    /// The row of the file that booked the payment.
    private func booking() throws -> [Found] {
        let rows = try fetch("""
            SELECT t.id, t.at, t.event, t.cause FROM payment p
            JOIN trail t ON t.subject = 'file' AND t.subject_id = p.file_id AND t.event = 'booked'
            WHERE p.id = ?
            """, [id])
        return rows.isEmpty ? try covering("payment", id) : rows
    }

    /// The row of the cycle that allocated the payment.
    private func allocation() throws -> [Found] {
        let rows = try fetch("""
            SELECT t.id, t.at, t.event, t.cause FROM trail t
            WHERE t.subject = 'cycle' AND t.event = 'allocated'
              AND t.subject_id IN (SELECT cycle_id FROM allocation_part WHERE payment_id = ? AND void_id IS NULL)
            """, [id])
        if !rows.isEmpty { return rows }
        guard let part = try Int64.fetchOne(db, sql: "SELECT MIN(id) FROM allocation_part WHERE payment_id = ? AND void_id IS NULL",
                                            arguments: [id]) else { return [] }
        return try covering("allocation_part", part)
    }

    /// The published batches that carried the subject's parts, shown as "exported".
    private func publications(carrier: String) throws -> [Found] {
        try fetch("""
            SELECT t.id, t.at, 'exported' AS event, t.cause FROM trail t
            WHERE t.subject = 'batch' AND t.event = 'published'
              AND t.subject_id IN (SELECT r.batch_id FROM allocation_part a
                                   JOIN export_batch_run r ON r.cycle_id = a.cycle_id
                                   JOIN export_batch b ON b.id = r.batch_id AND b.channel = a.channel
                                   WHERE \(carrier))
            """, [id])
    }

    /// The row of the DEBTOR snapshot that confirmed the export.
    private func confirmation(subject: String) throws -> [Found] {
        try fetch("""
            SELECT t.id, t.at, t.event, t.cause FROM debtor_export e
            JOIN trail t ON t.subject = 'confirmation' AND t.subject_id = e.confirmation_id AND t.event = 'confirmed'
            WHERE e.subject = ? AND e.subject_id = ?
            """, [subject, id])
    }

    /// A row of an older trail that names a run of subjects including `member`.
    private func covering(_ runSubject: String, _ member: Int64) throws -> [Found] {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, at, event, cause, through_id FROM trail
            WHERE subject = ? AND subject_id <= ? AND through_id IS NOT NULL ORDER BY subject_id DESC LIMIT 1
            """, arguments: [runSubject, member]), (row["through_id"] as Int64) >= member else { return [] }
        return [(row["id"], row["at"], row["event"], row["cause"])]
    }
}
