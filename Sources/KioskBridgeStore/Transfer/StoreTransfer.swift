/// Moving a whole bridge from one backend to another (`kioskbridge store copy`), without
/// either backend knowing the other: the source hands over each table's rows as plain
/// values, the destination writes them. The executable puts the two together.

/// A stored value as every backend can write it.
public enum StoreValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
}

/// The store's tables, in an order in which each row's references are already copied.
/// Every backend holds these tables with these names; a destination refuses any other.
public enum StoreTables {
    public static let all = [
        "kiosk_file", "payment", "void", "rejected_record", "claims_snapshot", "claim", "applied_transaction", "cycle",
        "allocation_part", "allocation_run", "export_series", "export_batch", "export_batch_run", "trail", "day_closing",
        "alert_state", "desk_user", "debtor_confirmation", "debtor_export", "fbs_part", "till_record", "till_close",
    ]

    /// The neutral column that orders a cycle's parts for the export: reversals in the order
    /// of their voids, then payments in the order they were paid (debtor-export.md). A
    /// backend that keeps this order some other way (SQLite: part ids) hands it over here.
    public static let partOrdinal = "ordinal"

    /// Rows per run handed from a source to a destination.
    public static let runSize = 10_000
}

/// Where a copy's rows go: one table after the other, each in runs of rows.
public protocol StoreTableSink: AnyObject {
    /// Starts a table; `columns` name the values of every row that follows.
    func begin(table: String, columns: [String]) async throws
    /// A run of the table's rows, each value in the order of the columns.
    func write(_ rows: [[StoreValue]]) async throws
}

/// A store that can hand over every table, on one consistent state.
public protocol StoreTableSource: Sendable {
    func copyTables(into sink: any StoreTableSink) async throws
}

/// What a copy moved.
public struct StoreCopyResult: Sendable, Hashable {
    /// Rows per table, in ``StoreTables/all`` order.
    public var rows: [(table: String, count: Int)] = []

    public init() {}

    public static func == (a: StoreCopyResult, b: StoreCopyResult) -> Bool {
        a.rows.map(\.table) == b.rows.map(\.table) && a.rows.map(\.count) == b.rows.map(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        for row in rows {
            hasher.combine(row.table)
            hasher.combine(row.count)
        }
    }
}

/// A store that can take a whole bridge into an empty schema or database.
public protocol StoreTableDestination: Sendable {
    /// Refuses a destination that already holds a bridge; otherwise runs `fill` in one
    /// transaction and makes the store ready to go on from what it was given (its id
    /// counters, the end of the trail).
    func receiveTables(_ fill: (any StoreTableSink) async throws -> Void) async throws -> StoreCopyResult
}
