/// How a run's files are cut into booking transactions: several small files share one, so
/// that a cycle of fifty kiosk files waits for the disk once rather than fifty times, and
/// each transaction is cut at a file boundary, so that a file is still booked whole or not
/// at all.
///
/// A transaction holds the store's write lock until it commits, and a desk writes its
/// access log through the same lock: so a transaction takes at most a few MB of files
/// (about a second of booking), and a larger file is a transaction of its own.
enum BookingTransactions {
    /// Bytes of kiosk files one transaction books at most, unless one file is larger.
    static let bytesPerTransaction = 4 << 20
    /// Files one transaction books at most.
    static let filesPerTransaction = 100

    /// The candidates in their order, cut into transactions.
    static func cut(_ candidates: [FileIntake.Candidate]) -> [[FileIntake.Candidate]] {
        cut(candidates, size: \.fingerprint.size)
    }

    /// Items in their order, cut into runs of at most ``filesPerTransaction`` items and
    /// ``bytesPerTransaction`` bytes; an item larger than that is a run of its own.
    static func cut<Item>(_ items: [Item], size: (Item) -> Int) -> [[Item]] {
        var transactions: [[Item]] = []
        var current: [Item] = []
        var bytes = 0
        for item in items {
            let itemSize = size(item)
            if !current.isEmpty && (bytes + itemSize > bytesPerTransaction || current.count == filesPerTransaction) {
                transactions.append(current)
                current = []
                bytes = 0
            }
            current.append(item)
            bytes += itemSize
        }
        if !current.isEmpty { transactions.append(current) }
        return transactions
    }
}
