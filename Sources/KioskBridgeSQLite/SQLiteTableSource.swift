import GRDB
import KioskBridgeStore

extension SQLiteBridgeStore: StoreTableSource {
    /// Hands over every table of the bridge, on one snapshot, in runs of rows: `store copy`
    /// moves the bridge to another backend this way. A cycle's parts come with their
    /// export order as ``StoreTables/partOrdinal``: here, their id order within the cycle.
    public func copyTables(into sink: any StoreTableSink) async throws {
        try await ConfinedConnection.read(pool) { connection in
            for table in StoreTables.all {
                let columns = try await connection.run { db in try Self.columns(db, of: table) }
                let selected = table == "allocation_part"
                    ? columns + [StoreTables.partOrdinal]
                    : columns
                try await sink.begin(table: table, columns: selected)
                let cursor = SQLiteTableCursor()
                try await connection.run { db in
                    let ordinal = table == "allocation_part"
                        ? ", ROW_NUMBER() OVER (PARTITION BY cycle_id ORDER BY id) AS \(StoreTables.partOrdinal)" : ""
                    let order = try Self.hasRowID(db, table) ? " ORDER BY rowid" : ""
                    let statement = try BulkStatement(db, sql: "SELECT \(columns.map { "\"\($0)\"" }.joined(separator: ", "))\(ordinal) FROM \"\(table)\"\(order)",
                                                      columns: selected)
                    statement.open()
                    cursor.statement = statement
                }
                while true {
                    let run = try await connection.run { _ in try cursor.read(upTo: StoreTables.runSize, table: table) }
                    if !run.isEmpty { try await sink.write(run) }
                    if run.count < StoreTables.runSize { break }
                }
            }
        }
    }

    private static func columns(_ db: Database, of table: String) throws -> [String] {
        let names = try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).map { $0["name"] as String }
        guard !names.isEmpty else {
            throw StoreError(.corrupt, "the database has no table \(table)", backend: SQLiteBridgeStore.backend)
        }
        return names
    }

    private static func hasRowID(_ db: Database, _ table: String) throws -> Bool {
        let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", arguments: [table]) ?? ""
        return !sql.uppercased().contains("WITHOUT ROWID")
    }
}

/// The open statement of one table's rows, read a run at a time on the session's thread.
private final class SQLiteTableCursor: @unchecked Sendable {
    var statement: BulkStatement?

    func read(upTo count: Int, table: String) throws -> [[StoreValue]] {
        guard let statement else { return [] }
        var run: [[StoreValue]] = []
        while run.count < count, let row = try statement.step() {
            var values: [StoreValue] = []
            values.reserveCapacity(Int(row.count))
            for column in 0..<row.count {
                guard let value = row.value(column) else {
                    throw StoreError(.corrupt, "a value of table \(table) is neither a number, a text nor bytes", backend: SQLiteBridgeStore.backend)
                }
                values.append(value)
            }
            run.append(values)
        }
        return run
    }
}
