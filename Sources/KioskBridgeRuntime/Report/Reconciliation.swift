import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// `report`: one day's reconciliation (afstemning), per kiosk, like a till's Z-report.
///
/// Payments count on the Copenhagen day the kiosk took them. For each kiosk the report
/// shows what was received (refused records included), how it ended (exported, voided,
/// rejected, still pending), with the identity received = exported + voided + rejected +
/// pending to the øre, and it locates everything that keeps the day from being settled:
/// each pending payment, each refused record, each missing kiosk file, each gap in the
/// receipt numbers, and a break in the running total carried from the day before.
public struct Reconciliation: Sendable {
    /// A count and a sum.
    public struct Tally: Sendable, Hashable {
        public var count = 0
        public var sum = Amount.zero

        public init() {}

        init(count: Int, sum: Amount) {
            self.count = count
            self.sum = sum
        }

        mutating func add(_ amount: Amount) {
            count += 1
            sum += amount
        }

        static func + (a: Tally, b: Tally) -> Tally {
            var total = a
            total.count += b.count
            total.sum += b.sum
            return total
        }
    }

    /// One kiosk's day.
    public struct KioskDay: Sendable {
        public var kioskID: String
        public var location = ""
        public var received = Tally()
        public var exported = Tally()
        public var voided = Tally()
        public var rejected = Tally()
        public var pending = Tally()
        public var byTender: [String: Tally] = [:]
        public var byClaimType: [String: Tally] = [:]
        /// Per operator id (at a till: the staff member who took the payment).
        public var byOperator: [String: Tally] = [:]
        /// A till's close of the day (the latest, if counted again).
        public var tillClose: TillClose?
        public var surplus = Amount.zero
        public var firstReceipt: String?
        public var lastReceipt: String?
        public var receiptGaps: [String] = []
        public var files: [KioskFileView] = []
        public var sequenceGaps: [ClosedRange<Int>] = []
        public var exportedFiles: [ExportedShare] = []
        public var rejectedRecords: [DayRejectedRecord] = []
        public var pendingPayments: [DayPayment] = []
        /// What went to the debtor system of the day's payments and voids (a reversal counts
        /// negative), and how much of it a DEBTOR snapshot has confirmed.
        public var debtorExported = Tally()
        public var debtorConfirmed = Tally()
        /// The day's exports no snapshot has confirmed yet: the first ``unconfirmedShown``.
        public var unconfirmed: [UnconfirmedExport] = []
        public var unconfirmedCount: Int { debtorExported.count - debtorConfirmed.count }
        /// The `fbs` mode's parts on old fees of the day's payments, by state.
        public var fbsParts: [FBSPartState: Tally] = [:]
        /// The refund cases (the patron paid the fee twice) and the parts still waiting for
        /// FBS: the first ``unconfirmedShown`` of each; the tallies count them all.
        public var fbsRefunds: [DayFBSPart] = []
        public var fbsWaiting: [DayFBSPart] = []
        /// Everything the kiosk sent for earlier days (recomputed now).
        public var opening = Amount.zero
        /// The closing figure recorded for the day before, if the bridge had closed it.
        public var recordedPreviousClosing: Amount?

        public init(kioskID: String) {
            self.kioskID = kioskID
        }

        public var closing: Amount { opening + received.sum }

        mutating func addFBSPart(_ part: DayFBSPart) {
            fbsParts[part.status.state, default: Tally()].add(part.amount)
            switch part.status.state {
            case .refund where fbsRefunds.count < Reconciliation.unconfirmedShown: fbsRefunds.append(part)
            case .waiting where fbsWaiting.count < Reconciliation.unconfirmedShown: fbsWaiting.append(part)
            default: break
            }
        }

        /// received = exported + voided + rejected + pending, to the øre.
        public var identityHolds: Bool {
            received.sum == exported.sum + voided.sum + rejected.sum + pending.sum
                && received.count == exported.count + voided.count + rejected.count + pending.count
        }

        /// Where the day differs from a settled day, one located item per line.
        public var differences: [String] {
            var items: [String] = []
            if !identityHolds {
                items.append("received \(received.sum.danishText) ≠ exported + voided + rejected + pending (\((exported.sum + voided.sum + rejected.sum + pending.sum).danishText))")
            }
            if let recorded = recordedPreviousClosing, recorded != opening {
                items.append("the running total breaks: the day before closed at \(recorded.danishText), but the kiosk's earlier days now add up to \(opening.danishText) (\((opening - recorded).danishText)): a file for an earlier day arrived after it was closed")
            }
            for gap in sequenceGaps {
                items.append(gap.count == 1 ? "kiosk file \(gap.lowerBound) is missing (sequence gap); its amount is unknown"
                                            : "kiosk files \(gap.lowerBound)-\(gap.upperBound) are missing (sequence gap); their amount is unknown")
            }
            for payment in pendingPayments {
                items.append("pending: \(payment.receipt) (\(payment.transactionID)) \(payment.amount.danishText) is booked and waits for the next cycle")
            }
            if let close = tillClose, close.difference != .zero {
                items.append("till close: counted \(close.counted.danishText) against registered cash \(close.registered.danishText), "
                             + "difference \(close.difference.danishText) (counted by \(close.staff))")
            }
            for record in rejectedRecords {
                let name = record.receipt ?? record.transactionID ?? "a record"
                items.append("rejected: \(name) \(record.amount.danishText) in \(record.fileName)\(record.wholeFile ? " (the whole file was refused)" : ""): \(record.reason)")
            }
            return items
        }

        public var isSettled: Bool { differences.isEmpty }
    }

    public let date: LocalDate
    public let kiosks: [KioskDay]
    public let filesWithoutKiosk: [KioskFileView]

    /// Unconfirmed exports listed per kiosk; the rest are counted.
    public static let unconfirmedShown = 100

    /// Hours after midnight before a day is closed: kiosk files of late payments usually
    /// arrive shortly after midnight and are not a break in the chain.
    public static let closeDayAfterHours = 6

    public static func make(date: LocalDate, store: any BridgeStore) async throws -> Reconciliation {
        let from = CopenhagenTime.startOfDay(date)
        let to = CopenhagenTime.startOfDay(date.adding(days: 1))
        return try await store.operations { reader in
            var days: [String: KioskDay] = [:]
            func day(_ kiosk: String) -> KioskDay { days[kiosk] ?? KioskDay(kioskID: kiosk) }

            for payment in try await reader.dayPayments(from: from, to: to) {
                var entry = day(payment.kioskID)
                entry.location = payment.location
                entry.received.add(payment.amount)
                entry.byTender[payment.tender, default: Tally()].add(payment.amount)
                entry.byClaimType[payment.claimType, default: Tally()].add(payment.amount)
                if let taker = payment.operatorID, !taker.isEmpty { entry.byOperator[taker, default: Tally()].add(payment.amount) }
                if payment.voided != nil {
                    entry.voided.add(payment.amount)
                } else if payment.exported {
                    entry.exported.add(payment.amount)
                    entry.surplus += payment.surplus
                } else {
                    entry.pending.add(payment.amount)
                    entry.pendingPayments.append(payment)
                }
                days[payment.kioskID] = entry
            }
            for record in try await reader.dayRejectedRecords(from: from, to: to) {
                var entry = day(record.kioskID)
                entry.received.add(record.amount)
                entry.rejected.add(record.amount)
                entry.rejectedRecords.append(record)
                days[record.kioskID] = entry
            }
            for share in try await reader.exportedShares(from: from, to: to) {
                var entry = day(share.kioskID)
                entry.exportedFiles.append(share)
                days[share.kioskID] = entry
            }
            for share in try await reader.confirmedShares(from: from, to: to) {
                var entry = day(share.kioskID)
                entry.debtorExported = Tally(count: share.exportedCount, sum: share.exported)
                entry.debtorConfirmed = Tally(count: share.confirmedCount, sum: share.confirmed)
                days[share.kioskID] = entry
            }
            for export in try await reader.unconfirmedExports(from: from, to: to, limit: Self.unconfirmedShown * max(1, days.count)) {
                guard var entry = days[export.kioskID], entry.unconfirmed.count < Self.unconfirmedShown else { continue }
                entry.unconfirmed.append(export)
                days[export.kioskID] = entry
            }
            for part in try await reader.dayFBSParts(from: from, to: to) {
                var entry = day(part.kioskID)
                entry.addFBSPart(part)
                days[part.kioskID] = entry
            }
            for close in try await reader.tillCloses(date: date) {
                var entry = day(close.tillID)
                entry.tillClose = close
                days[close.tillID] = entry
            }
            var orphans: [KioskFileView] = []
            for file in try await reader.kioskFiles(from: from, to: to) {
                guard let kiosk = file.kioskID else { orphans.append(file); continue }
                var entry = day(kiosk)
                entry.files.append(file)
                days[kiosk] = entry
            }
            let gaps = try await reader.sequenceGaps()
            let openings = try await reader.receivedBefore(from)
            // Kiosks with earlier days but nothing today still show their running total.
            for kiosk in openings.keys where days[kiosk] == nil { days[kiosk] = KioskDay(kioskID: kiosk) }
            let recorded = Dictionary(try await reader.dayClosings(date: date.adding(days: -1)).map { ($0.kioskID, $0.cumulativeReceived) },
                                      uniquingKeysWith: { first, _ in first })
            for kiosk in days.keys {
                guard var entry = days[kiosk] else { continue }
                entry.opening = openings[kiosk] ?? .zero
                entry.recordedPreviousClosing = recorded[kiosk]
                let sequences = entry.files.filter { $0.verdict == .accepted }.compactMap(\.sequence)
                if let low = sequences.min(), let high = sequences.max() {
                    // Gaps that touch this day's files: between them, or just before the first.
                    entry.sequenceGaps = gaps.filter { $0.kioskID == kiosk && $0.missing.upperBound >= low - 1 && $0.missing.lowerBound <= high }
                        .map(\.missing)
                }
                let receipts = try await reader.dayReceipts(kioskID: kiosk, from: from, to: to)
                entry.firstReceipt = ReceiptNumbers.first(receipts)
                entry.lastReceipt = ReceiptNumbers.last(receipts)
                entry.receiptGaps = ReceiptNumbers.gaps(receipts)
                days[kiosk] = entry
            }
            return Reconciliation(date: date, kiosks: days.values.sorted { $0.kioskID < $1.kioskID }, filesWithoutKiosk: orphans)
        }
    }

    public var totals: KioskDay {
        var total = KioskDay(kioskID: "TOTAL")
        for kiosk in kiosks {
            total.received = total.received + kiosk.received
            total.exported = total.exported + kiosk.exported
            total.voided = total.voided + kiosk.voided
            total.rejected = total.rejected + kiosk.rejected
            total.pending = total.pending + kiosk.pending
            total.debtorExported = total.debtorExported + kiosk.debtorExported
            total.debtorConfirmed = total.debtorConfirmed + kiosk.debtorConfirmed
            total.surplus += kiosk.surplus
            total.opening += kiosk.opening
            for (state, tally) in kiosk.fbsParts { total.fbsParts[state] = (total.fbsParts[state] ?? Tally()) + tally }
            for (tender, tally) in kiosk.byTender { total.byTender[tender] = (total.byTender[tender] ?? Tally()) + tally }
            for (type, tally) in kiosk.byClaimType { total.byClaimType[type] = (total.byClaimType[type] ?? Tally()) + tally }
        }
        return total
    }

    public var isSettled: Bool { kiosks.allSatisfy(\.isSettled) && filesWithoutKiosk.isEmpty }

    /// Records every kiosk's closing for a finished day, once (the cycle calls this).
    public static func closeDays(before now: Instant, store: any BridgeStore) async throws {
        let today = CopenhagenTime.localDate(at: now)
        guard now >= CopenhagenTime.startOfDay(today).adding(seconds: closeDayAfterHours * 3600) else { return }
        let yesterday = today.adding(days: -1)
        let cutoff = CopenhagenTime.startOfDay(today)
        let (closed, kiosks) = try await store.operations { reader in
            (Set(try await reader.dayClosings(date: yesterday).map(\.kioskID)), try await reader.kiosksWithFiles(before: cutoff))
        }
        // Once a day every kiosk's figure is recorded; the other cycles of the day stop here
        // instead of summing every payment ever taken.
        guard !kiosks.isSubset(of: closed) else { return }
        // The sums go on from the last closings: one day of payments is read, not all of them.
        let tally = try await store.operations { reader in
            try await reader.receivedTally(before: cutoff, continuing: paymentsMark(try await reader.latestDayClosings(before: yesterday)))
        }
        let totals = tally.total
        let missing = kiosks.union(totals.keys).subtracting(closed)
        try await store.recordOperations { session in
            for kiosk in missing.sorted() {
                try await session.recordDayClosing(DayClosing(kioskID: kiosk, date: yesterday, cumulativeReceived: totals[kiosk] ?? .zero,
                                                        recordedAt: now, paymentsReceived: tally.payments[kiosk] ?? .zero,
                                                        throughPayment: tally.throughPayment))
            }
        }
    }

    /// Where a day's closings left the payments' sums, if they were recorded together with
    /// their mark (closings recorded before marks were kept, or at different times, give
    /// none: the next closing then sums every payment once more).
    static func paymentsMark(_ closings: [DayClosing]) -> PaymentsMark? {
        guard let first = closings.first, let through = first.throughPayment else { return nil }
        var received: [String: Amount] = [:]
        for closing in closings {
            guard closing.throughPayment == through, closing.date == first.date, let payments = closing.paymentsReceived else { return nil }
            received[closing.kioskID] = payments
        }
        return PaymentsMark(before: CopenhagenTime.startOfDay(first.date.adding(days: 1)), throughPayment: through, received: received)
    }
}

/// Receipt numbers as kiosks print them (`B-000981`): a prefix and a running number.
enum ReceiptNumbers {
    static func split(_ receipt: String) -> (prefix: Substring, number: Int, width: Int)? {
        let digits = receipt.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 15, let number = Int(String(digits.reversed())) else { return nil }
        return (receipt.dropLast(digits.count), number, digits.count)
    }

    static func sorted(_ receipts: [String]) -> [(prefix: Substring, number: Int, width: Int)] {
        receipts.compactMap(split).sorted { ($0.prefix, $0.number) < ($1.prefix, $1.number) }
    }

    static func first(_ receipts: [String]) -> String? {
        sorted(receipts).first.map { "\($0.prefix)\(LocalDate.pad($0.number, $0.width))" } ?? receipts.min()
    }

    static func last(_ receipts: [String]) -> String? {
        sorted(receipts).last.map { "\($0.prefix)\(LocalDate.pad($0.number, $0.width))" } ?? receipts.max()
    }

    /// Runs of numbers missing between the first and the last receipt of a prefix.
    static func gaps(_ receipts: [String]) -> [String] {
        var gaps: [String] = []
        let ordered = sorted(receipts)
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.prefix == next.prefix && next.number > previous.number + 1 {
            let low = "\(previous.prefix)\(LocalDate.pad(previous.number + 1, previous.width))"
            let high = "\(next.prefix)\(LocalDate.pad(next.number - 1, next.width))"
            gaps.append(next.number == previous.number + 2 ? low : "\(low)–\(high)")
            if gaps.count >= 50 { break }
        }
        return gaps
    }
}
