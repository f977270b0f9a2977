import KioskBridgeStore
import PostgresNIO

extension PostgresBridgeStore: StoreTableDestination {
    /// Takes a whole bridge into this schema (`store copy`): refuses a schema that holds
    /// anything but an empty bridge, then writes every table through COPY, all in one
    /// transaction, and sets the id counters and the trail's end after what it was given.
    public func receiveTables(_ fill: (any StoreTableSink) async throws -> Void) async throws -> StoreCopyResult {
        try await transaction(begin: "BEGIN ISOLATION LEVEL READ COMMITTED") { transaction in
            let sink = PostgresTableSink(transaction)
            try await sink.refuseUnlessEmpty()
            try await fill(sink)
            try await sink.finish()
            return sink.result
        }
    }
}

/// Writes the tables of a store copy, each run of rows in one COPY.
final class PostgresTableSink: StoreTableSink {
    private let transaction: PostgresTransaction
    private var table: String?
    private var columns: [String] = []
    private var seen: Set<String> = []
    private(set) var result = StoreCopyResult()

    /// Tables of the schema that are the store's own bookkeeping, not a bridge's data.
    /// The lease is who works now, and the desk's sessions and failed logins who is logged in
    /// now, not what the bridge holds: they are not copied.
    static let bookkeeping = ["trail_end", "schema_migration", "lease", "lease_standby", "desk_session", "desk_login_failure"]

    init(_ transaction: PostgresTransaction) {
        self.transaction = transaction
    }

    private func refuse(_ why: String) -> StoreError {
        StoreError(.configuration, "schema \(transaction.settings.schema) \(why): store copy needs an empty schema (give a new --schema NAME)",
                   backend: PostgresBridgeStore.backend)
    }

    func refuseUnlessEmpty() async throws {
        let others = try await transaction.rows("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(transaction.settings.schema) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND NOT (c.relname = ANY(\(StoreTables.all + Self.bookkeeping)))
            ORDER BY c.relname
            """).map { try $0.text("relname") }
        if let first = others.first { throw refuse("holds other tables (\(first))") }
        for table in StoreTables.all where try await transaction.row(PostgresQuery(unsafeSQL: "SELECT 1 AS found FROM §\(table) LIMIT 1")) != nil {
            throw refuse("already holds a bridge (its \(table) table has rows)")
        }
        if try await transaction.row("SELECT last_id FROM §trail_end")?.int64("last_id") != 0 {
            throw refuse("already holds a bridge (its trail has an end)")
        }
    }

    func begin(table: String, columns: [String]) async throws {
        guard StoreTables.all.contains(table) else {
            throw StoreError(.corrupt, "a store copy offered an unknown table \(table)", backend: PostgresBridgeStore.backend)
        }
        guard !seen.contains(table) else {
            throw StoreError(.corrupt, "a store copy offered table \(table) twice", backend: PostgresBridgeStore.backend)
        }
        let known = Set(try await transaction.rows("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = \(transaction.settings.schema) AND table_name = \(table)
            """).map { try $0.text("column_name") })
        if let missing = columns.first(where: { !known.contains($0) }) {
            throw StoreError(.corrupt, "table \(table) of the source has a column \(missing) this version's PostgreSQL store lacks: upgrade kioskbridge",
                             backend: PostgresBridgeStore.backend)
        }
        if table == "allocation_part", !columns.contains(StoreTables.partOrdinal) {
            throw StoreError(.corrupt, "the source's allocation parts come without their export order (ordinal)", backend: PostgresBridgeStore.backend)
        }
        seen.insert(table)
        self.table = table
        self.columns = columns
        result.rows.append((table, 0))
    }

    func write(_ rows: [[StoreValue]]) async throws {
        guard let table, !rows.isEmpty else { return }
        let width = columns.count
        if rows.contains(where: { $0.count != width }) {
            throw StoreError(.corrupt, "a row of \(table) does not have its \(width) columns", backend: PostgresBridgeStore.backend)
        }
        try await transaction.copy(into: table, columns: columns, rows, via: .copy) { row, text in
            for value in row { text.add(value) }
        }
        result.rows[result.rows.count - 1].count += rows.count
    }

    /// The id counters go on after the highest id copied, and the trail's end is its last row.
    func finish() async throws {
        let counted = try await transaction.rows("""
            SELECT table_name FROM information_schema.columns
            WHERE table_schema = \(transaction.settings.schema) AND column_name = 'id' AND is_identity = 'YES' ORDER BY table_name
            """).map { try $0.text("table_name") }
        for table in counted {
            try await transaction.execute(PostgresQuery(unsafeSQL: """
                SELECT setval(pg_get_serial_sequence('\(transaction.prefix)\(table)', 'id'), GREATEST(MAX(id), 1), MAX(id) IS NOT NULL)
                FROM §\(table)
                """))
        }
        try await transaction.execute("""
            UPDATE §trail_end SET last_id = t.id, chain_hash = t.chain_hash
            FROM (SELECT id, chain_hash FROM §trail ORDER BY id DESC LIMIT 1) t
            """)
    }
}
