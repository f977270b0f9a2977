import Foundation
import KioskBridgeStore
import Logging
import NIOCore
import PostgresNIO

/// One transaction on one connection, with the bridge's schema put into every statement.
///
/// Statements name their tables `§table`; `§` becomes the quoted schema and a dot, so no
/// statement depends on a `search_path` (a pooler in transaction mode hands each
/// transaction whatever connection is free). Values are always bound, never spliced in.
/// Every failure leaves here as a ``StoreError``.
final class PostgresTransaction: @unchecked Sendable {
    let connection: PostgresConnection
    let settings: PostgresSettings
    let logger: Logger
    /// `"schema".`
    let prefix: String

    init(connection: PostgresConnection, settings: PostgresSettings, logger: Logger) {
        self.connection = connection
        self.settings = settings
        self.logger = logger
        prefix = "\"\(settings.schema)\"."
    }

    private func qualified(_ query: PostgresQuery) -> PostgresQuery {
        var query = query
        query.sql = query.sql.replacingOccurrences(of: "§", with: prefix)
        return query
    }

    /// Runs a statement, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        do {
            let rows = try await connection.query(qualified(query), logger: logger)
            for try await _ in rows {}
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// Every row of a query.
    func rows(_ query: PostgresQuery) async throws -> [PostgresStoredRow] {
        do {
            var result: [PostgresStoredRow] = []
            for try await row in try await connection.query(qualified(query), logger: logger) {
                result.append(PostgresStoredRow(row))
            }
            return result
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// The first row of a query, if any.
    func row(_ query: PostgresQuery) async throws -> PostgresStoredRow? {
        try await rows(query).first
    }

    /// Streams `items` into `table` through `COPY ... FROM STDIN` (text format), in
    /// buffers of about a megabyte. `table` is a table of the bridge's schema, or
    /// `pg_temp.NAME` for one of the transaction's temporary tables.
    func copy<Items: Sequence>(into table: String, columns: [String], _ items: Items,
                               _ encode: (Items.Element, inout CopyText) -> Void) async throws {
        // postgres-nio quotes the name it is given as one identifier: the schema and the
        // table are written as two quoted names joined by a dot.
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let name = parts.count == 2 ? "\(parts[0])\".\"\(parts[1])" : "\(settings.schema)\".\"\(table)"
        do {
            try await connection.copyFrom(table: name, columns: columns, format: .text(.init()), logger: logger) { writer in
                var text = CopyText()
                for item in items {
                    encode(item, &text)
                    text.endRow()
                    if text.buffer.readableBytes >= 1 << 20 {
                        try await writer.write(text.buffer)
                        text.buffer.clear()
                    }
                }
                if text.buffer.readableBytes > 0 { try await writer.write(text.buffer) }
            }
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// Ids from a table's identity counter, for rows written by `COPY` whose ids are needed
    /// before they are written (a void naming a payment of the same run).
    func nextIDs(_ table: String, count: Int) async throws -> [Int64] {
        guard count > 0 else { return [] }
        return try await rows("""
            SELECT nextval(pg_get_serial_sequence(\(prefix + table), 'id')) AS id FROM generate_series(1, \(count))
            """).map { try $0.int64("id") }
    }
}

/// A row read by column name; a missing column or a value of the wrong type is a
/// ``StoreError`` (corrupt), never a crash.
struct PostgresStoredRow {
    private let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) {
        self.row = PostgresRandomAccessRow(row)
    }

    func decode<T: PostgresDecodable>(_ column: String, as type: T.Type) throws -> T {
        guard row.contains(column) else {
            throw StoreError(.corrupt, "a query lacks its column \(column)", backend: PostgresBridgeStore.backend)
        }
        do {
            return try row[column].decode(T.self)
        } catch let error as PostgresDecodingError {
            throw StoreError(.corrupt, "column \(column) holds a \(error.postgresType) the bridge cannot read as \(T.self)",
                             backend: PostgresBridgeStore.backend)
        }
    }

    func int(_ column: String) throws -> Int { try decode(column, as: Int.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column, as: Int64.self) }
    func optionalInt(_ column: String) throws -> Int? { try decode(column, as: Int?.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decode(column, as: Int64?.self) }
    func text(_ column: String) throws -> String { try decode(column, as: String.self) }
    func optionalText(_ column: String) throws -> String? { try decode(column, as: String?.self) }
    func bool(_ column: String) throws -> Bool { try decode(column, as: Bool.self) }
    func bytes(_ column: String) throws -> [UInt8] {
        guard let buffer = try decode(column, as: ByteBuffer?.self) else { return [] }
        return Array(buffer.readableBytesView)
    }
    func optionalBytes(_ column: String) throws -> [UInt8]? {
        try decode(column, as: ByteBuffer?.self).map { Array($0.readableBytesView) }
    }
}

/// Rows in `COPY`'s text format: fields separated by tabs, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped, so any text a kiosk sent arrives unchanged.
struct CopyText {
    var buffer = ByteBuffer()
    private var rowStarted = false

    private mutating func separate() {
        if rowStarted { buffer.writeInteger(UInt8(ascii: "\t")) }
        rowStarted = true
    }

    mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        rowStarted = false
    }

    mutating func null() {
        separate()
        buffer.writeStaticString("\\N")
    }

    mutating func add(_ value: Int64) {
        separate()
        buffer.writeString(String(value))
    }

    mutating func add(_ value: Int) { add(Int64(value)) }

    mutating func add(_ value: Int64?) {
        guard let value else { return null() }
        add(value)
    }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: Bool) {
        separate()
        buffer.writeInteger(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func add(_ value: String?) {
        guard let value else { return null() }
        add(value)
    }

    mutating func add(_ value: String) {
        separate()
        var text = value
        text.withUTF8 { bytes in
            if !bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// A `bytea` value in hex (`\x...`, its backslash escaped for the text format).
    mutating func add(bytes: [UInt8]) {
        separate()
        buffer.writeStaticString("\\\\x")
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in bytes {
            buffer.writeInteger(digits[Int(byte >> 4)])
            buffer.writeInteger(digits[Int(byte & 0x0F)])
        }
    }

    /// A neutral value of a store copy.
    mutating func add(_ value: StoreValue) {
        switch value {
        case .null: null()
        case .integer(let number): add(number)
        case .text(let text): add(text)
        case .bytes(let bytes): add(bytes: bytes)
        }
    }
}
