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
    /// Every exchange goes through it: see ``PostgresConnectionGuard``.
    let connectionGuard: PostgresConnectionGuard
    let settings: PostgresSettings
    let logger: Logger
    /// `"schema".`
    let prefix: String

    init(_ guarded: PostgresConnections.GuardedConnection, settings: PostgresSettings, logger: Logger) {
        connection = guarded.connection
        connectionGuard = guarded.guard_
        self.settings = settings
        self.logger = logger
        prefix = "\"\(settings.schema)\"."
    }

    private func qualified(_ query: PostgresQuery) -> PostgresQuery {
        var query = query
        query.sql = Self.qualify(query.sql, prefix: prefix)
        return query
    }

    /// `sql` with each `§` made `prefix`. On the UTF-8 bytes: `§` is C2 A7, a pair that
    /// means nothing else, and Foundation's `replacingOccurrences` was a twentieth of the
    /// bridge's CPU in a PostgreSQL cycle.
    static func qualify(_ sql: String, prefix: String) -> String {
        let bytes = sql.utf8
        guard bytes.contains(0xA7) else { return sql }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 8 * prefix.utf8.count)
        var pendingLead = false
        for byte in bytes {
            if pendingLead {
                pendingLead = false
                if byte == 0xA7 {
                    result.append(contentsOf: prefix.utf8)
                    continue
                }
                result.append(0xC2)
            }
            if byte == 0xC2 {
                pendingLead = true
            } else {
                result.append(byte)
            }
        }
        if pendingLead { result.append(0xC2) }
        return String(decoding: result, as: UTF8.self)
    }

    /// Runs a statement, discarding any rows.
    func execute(_ query: PostgresQuery) async throws {
        let query = qualified(query)
        do {
            try await connectionGuard.exchange { [connection, logger] in
                let rows = try await connection.query(query, logger: logger)
                for try await _ in rows {}
            }
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// Every row of a query.
    func rows(_ query: PostgresQuery) async throws -> [PostgresStoredRow] {
        let query = qualified(query)
        do {
            return try await connectionGuard.exchange { [connection, logger] in
                var result: [PostgresStoredRow] = []
                for try await row in try await connection.query(query, logger: logger) {
                    result.append(PostgresStoredRow(row))
                }
                return result
            }
        } catch {
            throw PostgresErrors.map(error, settings)
        }
    }

    /// The first row of a query, if any.
    func row(_ query: PostgresQuery) async throws -> PostgresStoredRow? {
        try await rows(query).first
    }

    /// How rows reach the server.
    enum RowTransfer {
        /// `COPY ... FROM STDIN`: the fastest, for loads outside the lease (a claims snapshot,
        /// `store copy`). A client paused in the middle of a COPY keeps the server waiting,
        /// with the transaction's locks, for as long as it stays paused: the server applies
        /// neither the idle nor the statement timeout while it waits for COPY data.
        case copy
        /// Multi-row `INSERT` statements, each sent whole: a client paused between them is
        /// idle in its transaction, which the server ends after the lease. The default for
        /// every booking, allocation and publication.
        case insert
    }

    /// Writes `items` into `table`, `encode` giving each item's values in the order of
    /// `columns`. `table` is a table of the bridge's schema, or `pg_temp.NAME` for one of
    /// the transaction's temporary tables.
    func copy<Items: Sequence>(into table: String, columns: [String], _ items: Items, via transfer: RowTransfer = .insert,
                               _ encode: (Items.Element, inout CopyText) -> Void) async throws {
        var text = CopyText(rendering: transfer == .copy)
        switch transfer {
        case .copy:
            try await copyText(into: table, columns: columns, items, &text, encode)
        case .insert:
            for item in items {
                encode(item, &text)
                text.endRow()
                if text.values.count >= Self.valuesPerStatement - columns.count {
                    try await insert(into: table, columns: columns, text.takeValues())
                }
            }
            if !text.values.isEmpty { try await insert(into: table, columns: columns, text.takeValues()) }
        }
    }

    /// Values one `INSERT` carries at most (a few thousand rows): the rows of a statement
    /// are held in memory twice, as values and as the text of their arrays.
    static let valuesPerStatement = 60_000

    private func qualifiedTable(_ table: String) -> String {
        table.hasPrefix("pg_temp.") ? table : prefix + "\"\(table)\""
    }

    /// One `INSERT` of whole rows, an array per column (``PostgresColumnArrays``).
    private func insert(into table: String, columns: [String], _ values: [CopyText.Value]) async throws {
        guard !values.isEmpty, !columns.isEmpty else { return }
        let statement = PostgresColumnArrays(table: qualifiedTable(table), columns: columns, values: values)
        try await execute(PostgresQuery(unsafeSQL: statement.sql, binds: statement.bindings))
    }

    /// Streams the rows through `COPY ... FROM STDIN` (text format). The rows are encoded
    /// first, in buffers of about a megabyte, so that the exchange itself holds only bytes.
    private func copyText<Items: Sequence>(into table: String, columns: [String], _ items: Items, _ text: inout CopyText,
                                           _ encode: (Items.Element, inout CopyText) -> Void) async throws {
        // postgres-nio quotes the name it is given as one identifier: the schema and the
        // table are written as two quoted names joined by a dot.
        let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
        let name = parts.count == 2 ? "\(parts[0])\".\"\(parts[1])" : "\(settings.schema)\".\"\(table)"
        var buffers: [ByteBuffer] = []
        for item in items {
            encode(item, &text)
            text.endRow()
            if text.buffer.readableBytes >= 1 << 20 {
                buffers.append(text.buffer)
                text.buffer = ByteBuffer()
            }
        }
        if text.buffer.readableBytes > 0 { buffers.append(text.buffer) }
        let chunks = buffers
        do {
            try await connectionGuard.exchange { [connection, logger] in
                try await connection.copyFrom(table: name, columns: columns, format: .text(.init()), logger: logger) { writer in
                    for chunk in chunks { try await writer.write(chunk) }
                }
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
    /// A value kept for a multi-row `INSERT`.
    enum Value {
        case null
        case integer(Int64)
        case text(String)
        case boolean(Bool)
        case bytes([UInt8])
    }

    var buffer = ByteBuffer()
    /// The values of whole rows, in column order, when the rows go as `INSERT`s.
    private(set) var values: [Value] = []
    private let rendering: Bool
    private var rowStarted = false

    /// `rendering`: COPY's text format; otherwise the values are kept for an `INSERT`.
    init(rendering: Bool = true) {
        self.rendering = rendering
    }

    mutating func takeValues() -> [Value] {
        defer { values.removeAll(keepingCapacity: true) }
        return values
    }

    private mutating func separate() {
        if rowStarted { buffer.writeInteger(UInt8(ascii: "\t")) }
        rowStarted = true
    }

    mutating func endRow() {
        guard rendering else { return }
        buffer.writeInteger(UInt8(ascii: "\n"))
        rowStarted = false
    }

    mutating func null() {
        guard rendering else { return values.append(.null) }
        separate()
        buffer.writeStaticString("\\N")
    }

    mutating func add(_ value: Int64) {
        guard rendering else { return values.append(.integer(value)) }
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
        guard rendering else { return values.append(.boolean(value)) }
        separate()
        buffer.writeInteger(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func add(_ value: String?) {
        guard let value else { return null() }
        add(value)
    }

    mutating func add(_ value: String) {
        guard rendering else { return values.append(.text(value)) }
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
        guard rendering else { return values.append(.bytes(bytes)) }
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
