import Foundation
import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport

/// A fresh store on one backend, and the few steps the conformance tests take through the
/// store's own protocols: a file booked, a cycle allocated, a batch prepared and published.
final class StoreScenario {
    let folder: String
    let testStore: TestStore
    var store: any BridgeStore { testStore.store }

    static let kiosk = KioskID("KIOSK-0042")!
    static let debtor = ExportSeries(name: "kioskpay", channel: .debtor, prefix: "kioskpay", fileExtension: "csv")
    static let worklist = ExportSeries(name: "fbs-worklist", channel: .fbs, prefix: "fbs-worklist", fileExtension: "csv")
    static let personA = "0101901234"
    static let personB = "1505851237"

    private init(folder: String, testStore: TestStore) {
        self.folder = folder
        self.testStore = testStore
    }

    static func make(_ backend: TestBackend) async throws -> StoreScenario {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return StoreScenario(folder: folder, testStore: try await TestStore.make(backend, folder: folder))
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    static func instant(_ text: String) -> Instant { (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0) }
    static let day = instant("2026-11-21T14:00:00+01:00")

    static func payment(_ id: String, payer: String = personA, type: String = "BIBLIOTEKSGEBYR", ore: Int = 4000,
                        minute: Int = 0, receipt: String? = nil) -> PaymentRecord {
        PaymentRecord(transactionID: id, paidAt: day.adding(seconds: minute * 60), payer: Payer(storedDigits: payer)!,
                      claimType: type, amount: Amount(ore: ore), tender: .cash, receipt: receipt ?? "B-\(id)", operatorID: nil)
    }

    /// Records an accepted file (sequence `sequence`) and books `payments` and `voids` in it.
    @discardableResult
    func bookFile(_ sequence: Int, payments: [PaymentRecord], voids: [(VoidRecord, NewVoid.Target, VoidEffect)] = [],
                  rejected: [RejectedRecord] = [], at: Instant = StoreScenario.day) async throws -> RowID {
        try await store.intake { session in
            try await bookFile(sequence, payments: payments, voids: voids, rejected: rejected, at: at, in: session)
        }
    }

    /// Books one accepted file inside `session`'s transaction, as ``bookFile(_:payments:voids:rejected:at:)`` does in one of its own.
    @discardableResult
    func bookFile(_ sequence: Int, payments: [PaymentRecord], voids: [(VoidRecord, NewVoid.Target, VoidEffect)] = [],
                  rejected: [RejectedRecord] = [], at: Instant = StoreScenario.day, in session: any IntakeSession) async throws -> RowID {
        let header = KioskFileHeader(kioskID: Self.kiosk, location: "Hovedbiblioteket", sequence: sequence, createdAt: at)
        let id = try await session.recordFile(NewFileRecord(
            name: "KIOSK-0042_\(sequence).csv", processingName: "KIOSK-0042_\(sequence).csv", sha256: "sha-\(sequence)", size: 100,
            format: "csv", encoding: "utf-8", header: header, receivedAt: at, verdict: .accepted), cause: "taken in")
        var bookings = FileBookings(fileID: id, at: at)
        bookings.payments = payments.enumerated().map { index, record in
            NewPayment(record: record, kioskID: Self.kiosk, location: "Hovedbiblioteket", debtorClaimType: "BIBGEBYR", line: index + 2)
        }
        bookings.voids = voids.enumerated().map { index, void in
            NewVoid(record: void.0, kioskID: Self.kiosk, target: void.1, effect: void.2, line: payments.count + index + 2)
        }
        bookings.rejected = rejected
        try await session.book(bookings)
        var tally = FileTally()
        tally.paymentsBooked = payments.count
        tally.paymentsSum = payments.reduce(Amount.zero) { $0 + $1.amount }
        try await session.completeFile(id: id, tally: tally, trailerSum: tally.paymentsSum, at: at)
        return id
    }

    /// The rounds of the last `allocate`, and the files it left for the next cycle.
    private(set) var lastRounds: [[PendingGroup]] = []
    private(set) var lastLeft = FilesLeft(files: 0, payments: 0)

    /// Allocates the pending payments: each wholly to `claims[payment id]` or as surplus.
    @discardableResult
    func allocate(at: Instant = StoreScenario.day.adding(seconds: 1200), payersPerRound: Int = 1, paymentsPerRound: Int = 1000,
                  paymentsPerCycle: Int = 1_000_000, parts: (PendingPayment) -> [AllocationPart] = {
        [AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: $0.amount)]
    }, plans: (PendingPayment) -> [Int: FBSPartPlan] = { _ in [:] }) async throws -> (cycle: RowID, groups: [PendingGroup]) {
        let (cycle, rounds, left) = try await store.cycle { session in
            let cycle = try await session.startCycle(at: at, command: "cycle")
            _ = try await session.createPendingReversals(cycleID: cycle, at: at)
            var seen: [[PendingGroup]] = []
            let rounds = try await session.pendingPayments(payersPerRound: payersPerRound, paymentsPerRound: paymentsPerRound,
                                                           paymentsPerCycle: paymentsPerCycle)
            while let round = try await rounds.next() {
                seen.append(round)
                // Recorded in reverse, to show the store writes them in paid order anyway.
                let allocations = round.flatMap(\.payments).reversed().map { PaymentAllocation(payment: $0, parts: parts($0), fbs: plans($0)) }
                try await session.recordAllocations(Array(allocations), cycleID: cycle, at: at)
            }
            try await session.finishAllocation(cycleID: cycle, at: at)
            return (cycle, seen, rounds.left)
        }
        lastRounds = rounds
        lastLeft = left
        return (cycle, rounds.flatMap { $0 })
    }

    /// Prepares and publishes the next batch of `series`; nil when there is nothing.
    @discardableResult
    func export(_ series: ExportSeries = StoreScenario.debtor, cycle: RowID, at: Instant = StoreScenario.day.adding(seconds: 1200),
                publish: Bool = true) async throws -> StoredBatch? {
        let batch = try await store.cycle { session in
            try await session.registerSeries(series, at: at)
            return try await session.prepareBatch(series: series, createdAt: at, cycleID: cycle, includeEmpty: false)
        }
        guard let batch, publish else { return batch }
        try await store.cycle { session in
            try await session.markPublished(batch: batch, sha256: "sha", outboxPath: "/outbox/\(batch.fileName)",
                                            archivePath: folder + "/\(batch.fileName)", at: at, cycleID: cycle, anchor: nil)
        }
        return batch
    }

    func lines(of batch: StoredBatch) async throws -> [ExportLine] {
        try await store.export { session in
            var lines: [ExportLine] = []
            try await session.forEachLine(of: batch, chunk: 2) { lines += $0 }
            return lines
        }
    }

    func payments(_ query: String, payer: String? = nil) async throws -> [PaymentView] {
        try await store.lookup { try await $0.payments(receiptOrTransaction: query, payerDigits: payer) }
    }
}
