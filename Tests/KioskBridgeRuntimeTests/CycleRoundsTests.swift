import Foundation
import Testing
@testable import KioskBridgeRuntime
import KioskBridgeStore
import StoreTestSupport

/// allocation.md: a payer's payments are allocated oldest claim first in the order paid,
/// however many of them a cycle holds: the cycle allocates a round of payments at a time,
/// and a payer whose payments fill more than one round goes on over the claims as the
/// round before left them.
@Suite("Allocation in rounds")
struct CycleRoundsTests {
    /// Two 40-kroner claims and five payments of 30 kroner by one payer, and one of another
    /// payer; the export file of the cycle with `paymentsPerRound`.
    func export(_ backend: TestBackend, paymentsPerRound: Int) async throws -> String {
        let fixture = try await RuntimeFixture.make(backend)
        let snapshot = fixture.root + "/claims.csv"
        try """
            H;1;DEBTOR;2026-11-21T06:00:00+01:00
            C;F-1;0101901234;BIBLIOTEKSGEBYR;2026-09-01;2026-09-15;40,00;40,00;DEBTOR
            C;F-2;0101901234;BIBLIOTEKSGEBYR;2026-10-01;2026-10-15;40,00;40,00;DEBTOR
            C;F-3;1505851237;BIBLIOTEKSGEBYR;2026-10-01;2026-10-15;40,00;40,00;DEBTOR
            T;3;120,00

            """.write(toFile: snapshot, atomically: true, encoding: .utf8)
        _ = try await ClaimsImport(store: fixture.store, logger: fixture.logger).run(path: snapshot, at: RuntimeFixture.instant("2026-11-21T06:30:00+01:00"))
        try fixture.drop("a.csv", """
            H;1;KIOSK-0042;Hovedbiblioteket;1;2026-11-21T14:15:00+01:00
            D;K42-1;2026-11-21T14:05:00+01:00;0101901234;BIBLIOTEKSGEBYR;30,00;CASH;B-1;
            D;K42-2;2026-11-21T14:01:00+01:00;0101901234;BIBLIOTEKSGEBYR;30,00;CASH;B-2;
            D;K42-3;2026-11-21T14:04:00+01:00;0101901234;BIBLIOTEKSGEBYR;30,00;CASH;B-3;
            D;K42-4;2026-11-21T14:02:00+01:00;0101901234;BIBLIOTEKSGEBYR;30,00;CASH;B-4;
            D;K42-5;2026-11-21T14:03:00+01:00;1505851237;BIBLIOTEKSGEBYR;30,00;CASH;B-5;
            T;5;150,00

            """)
        let ingest = IngestRun(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger, sleep: { _ in })
        var cycle = CycleRun(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger, ingest: ingest)
        cycle.roundPayments = paymentsPerRound
        let summary = try await cycle.run(at: RuntimeFixture.instant("2026-11-21T14:20:00+01:00"))
        #expect(summary.paymentsAllocated == 5)
        let outbox = fixture.configuration.paths.outbox
        let names = try FileManager.default.contentsOfDirectory(atPath: outbox)
        #expect(names.count == 1)
        return try String(contentsOfFile: outbox + "/" + (names.first ?? ""), encoding: .utf8)
    }

    @Test("One payer's payments cut over rounds of one payment export the same file as in one round",
          arguments: TestBackend.allCases)
    func payerAcrossRounds(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let whole = try await export(backend, paymentsPerRound: 1000)
        // 30 + 10 on F-1, 30 on F-2, then 10 more on F-2 and 20 over, and 60 over: what
        // each payment finds is what the earlier ones left, in whichever round they were.
        #expect(whole.components(separatedBy: ";F-1;").count - 1 == 2)
        #expect(whole.components(separatedBy: ";F-2;").count - 1 == 2)
        #expect(try await export(backend, paymentsPerRound: 1) == whole)
    }

    @Test("A backlog beyond a cycle's payments goes out over the next cycles, whole files in the order booked, with a warning",
          arguments: TestBackend.allCases)
    func backlogOverCycles(_ backend: TestBackend) async throws {
        try backend.requireAvailable()
        let fixture = try await RuntimeFixture.make(backend)
        for sequence in 1...3 {
            try fixture.drop("k\(sequence).csv", """
                H;1;KIOSK-0042;Hovedbiblioteket;\(sequence);2026-11-21T14:15:00+01:00
                D;K42-\(sequence)a;2026-11-21T14:0\(sequence):00+01:00;0101901234;BIBLIOTEKSGEBYR;30,00;CASH;B-\(sequence)a;
                D;K42-\(sequence)b;2026-11-21T14:0\(sequence):30+01:00;1505851237;BIBLIOTEKSGEBYR;20,00;CASH;B-\(sequence)b;
                T;2;50,00

                """)
        }
        let ingest = IngestRun(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger, sleep: { _ in })
        var cycle = CycleRun(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger, ingest: ingest)
        cycle.cyclePayments = 3
        let first = try await cycle.run(at: RuntimeFixture.instant("2026-11-21T14:20:00+01:00"))
        #expect(first.ingest.paymentsBooked == 6)
        #expect(first.paymentsAllocated == 4)
        #expect(first.paymentsExported == 4)
        #expect(first.left == FilesLeft(files: 1, payments: 2))
        #expect(first.warnings.contains { $0.hasPrefix("2 payment(s) in 1 booked file(s) wait for the next cycle") })
        let second = try await cycle.run(at: RuntimeFixture.instant("2026-11-21T14:40:00+01:00"))
        #expect(second.paymentsExported == 2)
        #expect(second.left == FilesLeft(files: 0, payments: 0))
        #expect(!second.warnings.contains { $0.contains("wait for the next cycle") })
        let receipt = try await fixture.store.lookup { try await $0.payments(receiptOrTransaction: "B-3a", payerDigits: nil) }
        #expect(receipt.count == 1)
        let exports = try FileManager.default.contentsOfDirectory(atPath: fixture.configuration.paths.outbox).sorted()
        #expect(exports.count == 2)
        let last = try String(contentsOfFile: fixture.configuration.paths.outbox + "/" + (exports.last ?? ""), encoding: .utf8)
        #expect(last.contains("K42-3a") && last.contains("K42-3b") && !last.contains("K42-2a"))
    }
}
