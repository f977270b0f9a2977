import KioskBridgeStore
import PostgresNIO

/// Rows sent to an `INSERT` as one array per column: `INSERT INTO t (a, b) SELECT * FROM
/// unnest($1::bigint[], $2::text[])`. The statement has a parameter per column, whatever
/// the rows: a `VALUES` list with a parameter per value (3,400 for a run of 200 payments)
/// cost the server more to parse and bind than to execute.
///
/// Each array goes as the text of an array literal, its elements quoted, so any text a
/// kiosk sent arrives unchanged (quotes, backslashes, braces, commas, the word NULL).
struct PostgresColumnArrays {
    let sql: String
    let bindings: PostgresBindings

    /// `values` are whole rows in the order of `columns`. A column's element type is its
    /// first non-null value's; a column with no value at all is a bare `NULL`, which takes
    /// the target column's type.
    init(table: String, columns: [String], values: [CopyText.Value]) {
        let rowCount = columns.isEmpty ? 0 : values.count / columns.count
        var bindings = PostgresBindings(capacity: columns.count)
        var selected: [String] = []
        var arrays: [String] = []
        for column in columns.indices {
            let cells = stride(from: column, to: rowCount * columns.count, by: columns.count).map { values[$0] }
            guard let type = cells.lazy.compactMap(Self.elementType).first else {
                selected.append("NULL")
                continue
            }
            bindings.append(Self.literal(cells))
            arrays.append("$\(bindings.count)::\(type)[]")
            selected.append("u.c\(arrays.count)")
        }
        let names = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let source = arrays.isEmpty
            ? "generate_series(1, \(rowCount)) AS u"
            : "unnest(\(arrays.joined(separator: ", "))) AS u(\((1...arrays.count).map { "c\($0)" }.joined(separator: ", ")))"
        sql = "INSERT INTO \(table) (\(names)) SELECT \(selected.joined(separator: ", ")) FROM \(source)"
        self.bindings = bindings
    }

    private static func elementType(_ value: CopyText.Value) -> String? {
        switch value {
        case .null: nil
        case .integer: "bigint"
        case .text: "text"
        case .boolean: "boolean"
        case .bytes: "bytea"
        }
    }

    /// The array literal of one column: `{1,NULL,3}`, `{"a","b \"quoted\""}`. Built as
    /// UTF-8 bytes and made a `String` once: appending scalar by scalar to a `String` was a
    /// sixth of the bridge's CPU in a PostgreSQL cycle (`perf record`, a day of 10,000 payments).
    static func literal(_ cells: [CopyText.Value]) -> String {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        literal.reserveCapacity(cells.count * 16)
        for (index, cell) in cells.enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            switch cell {
            case .null: literal.append(contentsOf: "NULL".utf8)
            case .integer(let number): literal.append(contentsOf: String(number).utf8)
            case .boolean(let flag): literal.append(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            case .text(let text): appendQuoted(text.utf8, to: &literal)
            case .bytes(let bytes): appendQuoted(("\\x" + TrailChain.hex(bytes)).utf8, to: &literal)
            }
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }

    /// An element in double quotes, with `"` and `\` escaped by a backslash. Both are ASCII,
    /// so no byte of a multi-byte character is ever taken for them.
    private static func appendQuoted(_ text: String.UTF8View, to literal: inout [UInt8]) {
        literal.append(UInt8(ascii: "\""))
        for byte in text {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
            literal.append(byte)
        }
        literal.append(UInt8(ascii: "\""))
    }
}
