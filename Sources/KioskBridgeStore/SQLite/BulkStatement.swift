import GRDB
import GRDBSQLite

/// An insert run once per row of a large load (the payments of a file, the allocation parts
/// of a cycle, the claims of a snapshot), with its values bound straight through SQLite's C
/// API.
///
/// GRDB's `StatementArguments` put every value in an array of boxed values on each call: at
/// a million rows that is a visible share of the load. A bulk statement is prepared once per
/// session, is used by nothing else, and binds each value in place.
final class BulkStatement {
    private let statement: Statement

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
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
