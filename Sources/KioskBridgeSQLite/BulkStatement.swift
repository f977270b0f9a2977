import GRDB
import GRDBSQLite
import KioskBridgeStore

/// A statement for a million rows: an insert run once per row of a large load (the payments
/// of a file, the claims of a snapshot), or a query whose rows are many (the parts of an
/// export), with values bound and columns read straight through SQLite's C API.
///
/// GRDB's `StatementArguments` and `Row` put every value in a box on each call: at a million
/// rows that is a visible share of the work. A bulk statement is prepared once per session
/// (or once per query where the text varies, as with a list of payers), is used by nothing
/// else, and binds and reads each value in place.
///
/// Its columns are read by position for speed, so a query names the columns it expects:
/// preparing it checks them against what SQLite reports, and a query whose columns were
/// reordered fails at once instead of shifting every later field.
final class BulkStatement {
    private let statement: Statement

    init(_ db: Database, sql: String, columns: [String] = []) throws {
        statement = try db.makeStatement(sql: sql)
        let handle = statement.sqliteStatement
        let count = Int(sqlite3_column_count(handle))
        let names = (0..<count).map { sqlite3_column_name(handle, Int32($0)).map { String(cString: $0) } ?? "" }
        guard columns.isEmpty || names == columns else {
            throw StoreError(.corrupt, "a bulk query's columns are \(names), expected \(columns)", backend: SQLiteBridgeStore.backend)
        }
    }

    /// Binds the values `bind` adds, in the order of the statement's parameters, and runs it.
    func run(_ bind: (inout Values) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var values = Values(handle: handle)
        bind(&values)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }

    /// Binds the values `bind` adds and calls `body` with each row of the result.
    func forEachRow(_ bind: (inout Values) -> Void = { _ in }, _ body: (Columns) throws -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var values = Values(handle: handle)
        bind(&values)
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
            }
            try body(Columns(handle: handle))
        }
    }

    /// Binds the values and leaves the statement ready for ``step()``: a cursor whose rows
    /// are read a few at a time, across several jobs of one session.
    func open(_ bind: (inout Values) -> Void = { _ in }) {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        var values = Values(handle: handle)
        bind(&values)
    }

    /// The next row of the cursor opened with ``open(_:)``, or nil after the last (the
    /// statement is then reset).
    func step() throws -> Columns? {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return Columns(handle: handle) }
        sqlite3_reset(handle)
        if code == SQLITE_DONE { return nil }
        let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// The columns of the current row, by position from 0.
    struct Columns {
        fileprivate let handle: OpaquePointer

        func isNull(_ column: Int32) -> Bool {
            sqlite3_column_type(handle, column) == SQLITE_NULL
        }

        func int(_ column: Int32) -> Int {
            Int(sqlite3_column_int64(handle, column))
        }

        func optionalInt(_ column: Int32) -> Int? {
            isNull(column) ? nil : int(column)
        }

        func text(_ column: Int32) -> String {
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        func optionalText(_ column: Int32) -> String? {
            isNull(column) ? nil : text(column)
        }

        /// The number of columns of the row.
        var count: Int32 { sqlite3_column_count(handle) }

        /// A column as a plain value, whatever its type (for copying a table whole).
        func value(_ column: Int32) -> StoreValue? {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: .null
            case SQLITE_INTEGER: .integer(sqlite3_column_int64(handle, column))
            case SQLITE_TEXT: .text(text(column))
            case SQLITE_BLOB: .bytes(blob(column))
            default: nil
            }
        }

        func blob(_ column: Int32) -> [UInt8] {
            guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
            let count = Int(sqlite3_column_bytes(handle, column))
            return Array(UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }

    /// The parameters of one run, bound one after the other.
    struct Values {
        fileprivate let handle: OpaquePointer
        private var index: Int32 = 0

        fileprivate init(handle: OpaquePointer) {
            self.handle = handle
        }

        mutating func add(_ value: Int) {
            index += 1
            sqlite3_bind_int64(handle, index, Int64(value))
        }

        mutating func add(_ value: Int64) {
            index += 1
            sqlite3_bind_int64(handle, index, value)
        }

        mutating func add(_ value: Int?) {
            guard let value else { return addNull() }
            add(value)
        }

        mutating func add(_ value: Int64?) {
            guard let value else { return addNull() }
            add(value)
        }

        mutating func add(_ value: String) {
            index += 1
            var text = value
            text.withUTF8 { bytes in
                // SQLite copies the text (SQLITE_TRANSIENT); an empty string still needs a
                // pointer, or it would be bound as NULL.
                if let base = bytes.baseAddress {
                    base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        _ = sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
                    }
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
                }
            }
        }

        mutating func add(_ value: String?) {
            guard let value else { return addNull() }
            add(value)
        }

        mutating func addNull() {
            index += 1
            sqlite3_bind_null(handle, index)
        }

        /// SQLite's SQLITE_TRANSIENT: copy the value before the call returns.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
