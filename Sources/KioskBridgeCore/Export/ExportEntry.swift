/// One booking in the debtor's ledger: a payment (credit) or a reversal (debit) with the
/// parts it is made of.
///
/// Line-based layouts write each part on its own line; ISO 20022 camt.054 writes one
/// entry (`Ntry`) per payment or reversal with one transaction detail per part. Export
/// lines arrive grouped (a payment's parts, or a void's parts, one after the other), so
/// an entry is a run of consecutive lines of the same transaction and direction.
public struct ExportEntry: Hashable, Sendable {
    public enum Direction: String, Sendable {
        /// Money in: a payment, with its claim parts and any surplus.
        case credit = "CRDT"
        /// Money given back: the reversal of a voided, already exported payment.
        case debit = "DBIT"
    }

    public let direction: Direction
    /// The parts, in file order; never empty.
    public let parts: [ExportLine]

    public var transactionID: String { parts[0].transactionID }
    public var kioskID: String { parts[0].kioskID }
    /// The entry's amount, always positive or zero: its direction says which way it goes.
    public var magnitude: Amount { parts.reduce(Amount.zero) { $0 + $1.amount }.magnitude }

    static func direction(of line: ExportLine) -> Direction {
        line.kind == .reversal ? .debit : .credit
    }

    /// Groups a stream of export lines into entries, holding one entry at a time.
    public struct Grouping: Sendable {
        private var pending: [ExportLine] = []

        public init() {}

        /// Adds the next line; returns the entry it completes, if it starts a new one.
        public mutating func add(_ line: ExportLine) -> ExportEntry? {
            if let first = pending.first,
               first.transactionID != line.transactionID || first.kioskID != line.kioskID
                || ExportEntry.direction(of: first) != ExportEntry.direction(of: line) {
                let done = ExportEntry(direction: ExportEntry.direction(of: first), parts: pending)
                pending = [line]
                return done
            }
            pending.append(line)
            return nil
        }

        /// The last entry, after the last line.
        public mutating func finish() -> ExportEntry? {
            guard let first = pending.first else { return nil }
            defer { pending = [] }
            return ExportEntry(direction: ExportEntry.direction(of: first), parts: pending)
        }
    }
}

/// The number and sum of a batch's entries by direction: what a camt.054 notification's
/// summary (`TxsSummry`) states before its first entry.
public struct ExportEntryTotals: Hashable, Sendable {
    public private(set) var credits = 0
    public private(set) var creditSum = Amount.zero
    public private(set) var debits = 0
    public private(set) var debitSum = Amount.zero

    public init() {}

    /// Counts a batch's lines, a line at a time, through the same grouping the layouts use.
    public struct Counter: Sendable {
        private var grouping = ExportEntry.Grouping()
        private var totals = ExportEntryTotals()

        public init() {}

        public mutating func add(_ line: ExportLine) {
            if let entry = grouping.add(line) { totals.add(entry) }
        }

        /// The totals, once every line was added.
        public mutating func finish() -> ExportEntryTotals {
            if let entry = grouping.finish() { totals.add(entry) }
            return totals
        }
    }

    public mutating func add(_ entry: ExportEntry) {
        switch entry.direction {
        case .credit:
            credits += 1
            creditSum += entry.magnitude
        case .debit:
            debits += 1
            debitSum += entry.magnitude
        }
    }

    public var count: Int { credits + debits }
    /// Credits and debits added as magnitudes (camt.054's `Sum`).
    public var sum: Amount { creditSum + debitSum }
    /// Credits less debits; negative when more was given back than taken in.
    public var net: Amount { creditSum - debitSum }
}
