/// The trail rows of one transaction, kept until the backend writes them.
///
/// Rows are chained to the end of the trail only when they are written, right before the
/// commit (or when many have gathered): the end of the chain is then locked for as short a
/// time as possible, so that a desk's access-log row does not wait for a long cycle.
public final class TrailBuffer {
    private var pending: [TrailRowContent] = []

    /// Rows that make a backend write what it holds before the transaction ends.
    public static let flushThreshold = 10_000

    public init() {}

    public var isEmpty: Bool { pending.isEmpty }
    public var count: Int { pending.count }

    public func append(_ entry: TrailRowContent) {
        pending.append(entry)
    }

    /// The rows gathered so far, taken when a savepoint begins.
    public var gathered: [TrailRowContent] { pending }

    /// Puts back the rows gathered when a savepoint began, as its rollback does with the
    /// database: rows gathered since are dropped, and rows written since were written
    /// inside the savepoint and are undone with it, so they are gathered again.
    public func restore(_ rows: [TrailRowContent]) {
        pending = rows
    }

    /// The gathered rows chained after `end` (nil: the trail is empty), and empties the buffer.
    public func seal(after end: (id: Int64, chainHash: [UInt8])?) -> [TrailRow] {
        var previous = end
        var rows: [TrailRow] = []
        rows.reserveCapacity(pending.count)
        for entry in pending {
            let row = TrailChain.row(after: previous, entry)
            rows.append(row)
            previous = (row.id, row.chainHash)
        }
        pending.removeAll(keepingCapacity: true)
        return rows
    }
}
