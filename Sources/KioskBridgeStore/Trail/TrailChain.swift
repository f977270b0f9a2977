import Crypto
public import KioskBridgeCore

/// The hash chain through the trail, the same for every backend.
///
/// Every trail row carries the SHA-256 of its own content and a chain hash over that and
/// the previous row's chain hash. Changing a row, removing one or slipping one in breaks
/// the chain from that row on, and `audit verify` names the first row that does not fit.
/// The chain head is also written where it cannot be changed with the database (beside
/// each archived export file, and in each cycle's printed summary), so even a rewrite of
/// the whole chain is caught against what was already sent out.
///
/// The bytes hashed are fixed here, not by any database: a trail copied from SQLite into
/// PostgreSQL verifies with the same hashes and names the same head.
public enum TrailChain {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The bytes a row's content hash is taken over: every column, in order, separated by
    /// the ASCII unit separator, absent values marked as such. `through` is added only where
    /// it is set, so rows written before it existed hash as they did.
    public static func content(id: Int64, _ entry: TrailRowContent) -> [UInt8] {
        func optional(_ value: Int64?) -> String { value.map(String.init) ?? "-" }
        var fields = [String(id), String(entry.at.millisecondsSinceEpoch), entry.subject, String(entry.subjectID), entry.event,
                      entry.cause, optional(entry.file), optional(entry.batch), optional(entry.cycle)]
        if let through = entry.through { fields.append("through \(through)") }
        return Array(fields.joined(separator: "\u{1F}").utf8)
    }

    public static func contentHash(id: Int64, _ entry: TrailRowContent) -> [UInt8] {
        Array(SHA256.hash(data: content(id: id, entry)))
    }

    public static func chain(previous: [UInt8], contentHash: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: contentHash)
        return Array(hasher.finalize())
    }

    /// The row that follows `previous` (nil: the first row of the trail).
    public static func row(after previous: (id: Int64, chainHash: [UInt8])?, _ entry: TrailRowContent) -> TrailRow {
        let id = (previous?.id ?? 0) + 1
        let contentHash = contentHash(id: id, entry)
        return TrailRow(id: id, entry: entry, contentHash: contentHash,
                        chainHash: chain(previous: previous?.chainHash ?? genesis, contentHash: contentHash))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}
