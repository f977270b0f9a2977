import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// What a cycle relies on from every store.
@Suite("Store conformance: cycle")
struct CycleConformanceTests {
    typealias S = StoreScenario

    @Test("The pending pass hands over whole payers, each claim type a group, payments in the order paid; voided ones are left out",
          arguments: TestBackend.allCases)
    func pendingRounds(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let void = VoidRecord(voidID: "V1", voidedAt: S.day, voidsTransactionID: "K4", amount: Amount(ore: 4000), reason: nil)
        try await scenario.bookFile(1, payments: [
            S.payment("K1", payer: S.personB, minute: 5), S.payment("K2", payer: S.personA, minute: 9),
            S.payment("K3", payer: S.personA, type: "ERSTATNING", minute: 1), S.payment("K4", payer: S.personA, minute: 2),
            S.payment("K5", payer: S.personA, minute: 3),
        ], voids: [(void, .booked(index: 3), .cancel)])
        let (_, groups) = try await scenario.allocate()
        let shape = groups.map { "\($0.payer) \($0.claimType): \($0.payments.map(\.key.transactionID).joined(separator: ","))" }
        #expect(shape == ["\(S.personA) BIBLIOTEKSGEBYR: K5,K2", "\(S.personA) ERSTATNING: K3", "\(S.personB) BIBLIOTEKSGEBYR: K1"])
        // Allocated once: the next pass finds nothing.
        let (_, again) = try await scenario.allocate()
        #expect(again.isEmpty)
    }

    @Test("A payer with more payments than a round holds goes on in the next round, in the order paid, marked as going on",
          arguments: TestBackend.allCases)
    func payerAcrossRounds(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [
            S.payment("K1", minute: 5), S.payment("K2", minute: 1), S.payment("K3", minute: 4), S.payment("K4", minute: 2),
            S.payment("K5", minute: 3), S.payment("K6", payer: S.personB, minute: 6),
        ])
        try await scenario.allocate(payersPerRound: 10, paymentsPerRound: 2)
        let rounds = scenario.lastRounds.map { round in
            round.map { "\($0.continuesEarlier ? "+" : "")\($0.payer): \($0.payments.map(\.key.transactionID).joined(separator: ","))" }
        }
        #expect(rounds == [["\(S.personA): K2,K4"], ["+\(S.personA): K5,K3"], ["+\(S.personA): K1", "\(S.personB): K6"]])
        let (_, again) = try await scenario.allocate()
        #expect(again.isEmpty)
    }

    @Test("A pass takes whole files in the order booked up to the cycle's payments; the files after wait for the next pass",
          arguments: TestBackend.allCases)
    func passTakesWholeFiles(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", minute: 9), S.payment("K2", minute: 8)])
        try await scenario.bookFile(2, payments: [S.payment("K3", minute: 7)])
        try await scenario.bookFile(3, payments: [S.payment("K4", minute: 1), S.payment("K5", minute: 2)])
        let (_, first) = try await scenario.allocate(payersPerRound: 10, paymentsPerCycle: 3)
        #expect(first.flatMap(\.payments).map(\.key.transactionID) == ["K3", "K2", "K1"])
        #expect(scenario.lastLeft == FilesLeft(files: 1, payments: 2))
        let (_, second) = try await scenario.allocate(payersPerRound: 10, paymentsPerCycle: 3)
        #expect(second.flatMap(\.payments).map(\.key.transactionID) == ["K4", "K5"])
        #expect(scenario.lastLeft == FilesLeft(files: 0, payments: 0))
    }

    @Test("Claims come with the pass: the payer's own of that type, a claim both sources list as the debtor's, with the bridge's parts on it",
          arguments: TestBackend.allCases)
    func claimEvidence(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let payer = Payer(storedDigits: S.personA)!
        func claim(_ id: String, source: ClaimSource, type: String = "BIBLIOTEKSGEBYR", ore: Int = 2000) -> SnapshotClaim {
            SnapshotClaim(claim: Claim(id: id, payer: payer, claimType: type, createdOn: LocalDate(iso: "2026-09-01")!, dueOn: nil,
                                       originalAmount: Amount(ore: ore), outstanding: Amount(ore: ore), payableIn: source, source: source), line: 2)
        }
        for (source, claims) in [(ClaimSource.debtor, [claim("F-1", source: .debtor), claim("F-2", source: .debtor, type: "ERSTATNING")]),
                                 (ClaimSource.fbs, [claim("F-1", source: .fbs), claim("F-9", source: .fbs)])] {
            try await scenario.store.claims { session in
                try await session.beginReplacing(ClaimsSnapshotHeader(source: source, asOf: S.day.adding(seconds: -3600)))
                try await session.insertClaims(claims)
                let snapshot = StoredSnapshot(source: source, asOf: S.day.adding(seconds: -3600), loadedAt: S.day, fileName: "\(source).csv",
                                              claims: claims.count, outstanding: Amount(ore: 4000), appliedRecords: 0)
                #expect(try await session.finishReplacing(snapshot, sha256: "s", at: S.day) == nil)
            }
        }
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 500)])
        let (cycle, groups) = try await scenario.allocate { payment in
            [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: payment.amount)]
        }
        #expect(groups.first.map { Set($0.claims.map { "\($0.claim.source.rawValue) \($0.claim.id)" }) } == ["DEBTOR F-1", "FBS F-9"])
        try await scenario.export(cycle: cycle)
        try await scenario.bookFile(2, payments: [S.payment("K2", ore: 700)])
        let (_, next) = try await scenario.allocate()
        let f1 = next.first?.claims.first { $0.claim.id == "F-1" }
        #expect(f1?.bridgeParts.map(\.signedAmount) == [Amount(ore: 500)])
        #expect(f1?.bridgeParts.first?.exportedAt == S.day.adding(seconds: 1200))
        #expect(f1?.bridgeParts.first?.listedAsApplied == false)
    }

    @Test("In a round of payers with and without claims, each payer with claims gets the bridge's earlier parts on them, the others none",
          arguments: TestBackend.allCases)
    func claimEvidenceBesidePayersWithoutClaims(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let payer = Payer(storedDigits: S.personA)!
        let claims = ["F-1", "F-2"].map { id in
            SnapshotClaim(claim: Claim(id: id, payer: payer, claimType: "BIBLIOTEKSGEBYR", createdOn: LocalDate(iso: "2026-09-01")!, dueOn: nil,
                                       originalAmount: Amount(ore: 2000), outstanding: Amount(ore: 2000), payableIn: .debtor, source: .debtor),
                          line: 2)
        }
        try await scenario.store.claims { session in
            try await session.beginReplacing(ClaimsSnapshotHeader(source: .debtor, asOf: S.day.adding(seconds: -3600)))
            try await session.insertClaims(claims)
            let snapshot = StoredSnapshot(source: .debtor, asOf: S.day.adding(seconds: -3600), loadedAt: S.day, fileName: "DEBTOR.csv",
                                          claims: claims.count, outstanding: Amount(ore: 4000), appliedRecords: 0)
            #expect(try await session.finishReplacing(snapshot, sha256: "s", at: S.day) == nil)
        }
        try await scenario.bookFile(1, payments: [S.payment("K1", payer: S.personB, ore: 300, minute: 1), S.payment("K2", ore: 500, minute: 2)])
        let (cycle, _) = try await scenario.allocate(payersPerRound: 10) { payment in
            payment.key.transactionID == "K2" ? [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: payment.amount)]
                                              : [AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: payment.amount)]
        }
        try await scenario.export(cycle: cycle)
        try await scenario.bookFile(2, payments: [S.payment("K3", payer: S.personB, ore: 400, minute: 3), S.payment("K4", ore: 700, minute: 4)])
        let (_, next) = try await scenario.allocate(payersPerRound: 10)
        #expect(Set(next.map(\.payer)) == [S.personA, S.personB])
        #expect(next.first { $0.payer == S.personB }?.claims.isEmpty == true)
        let evidence = next.first { $0.payer == S.personA }?.claims ?? []
        #expect(evidence.map(\.claim.id).sorted() == ["F-1", "F-2"])
        #expect(evidence.first { $0.claim.id == "F-1" }?.bridgeParts.map(\.signedAmount) == [Amount(ore: 500)])
        #expect(evidence.first { $0.claim.id == "F-2" }?.bridgeParts.isEmpty == true)
    }

    @Test("A batch carries every part allocated since the series' last batch, in the order paid, and its count and sum",
          arguments: TestBackend.allCases)
    func batchContents(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", payer: S.personB, ore: 1000, minute: 1), S.payment("K2", ore: 2500, minute: 2),
                                                  S.payment("K3", payer: S.personB, ore: 700, minute: 3)])
        let (cycle, _) = try await scenario.allocate { payment in
            [AllocationPart(kind: .payment, claimID: "F-\(payment.key.transactionID)", channel: .debtor, amount: Amount(ore: 100)),
             AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: payment.amount - Amount(ore: 100))]
        }
        let batch = try #require(try await scenario.export(cycle: cycle))
        #expect(batch.sequence == 1)
        #expect(batch.info.lineCount == 6)
        #expect(batch.info.sum == Amount(ore: 4200))
        let lines = try await scenario.lines(of: batch)
        #expect(lines.map { "\($0.transactionID) \($0.kind.rawValue) \($0.amount.ore)" } == [
            "K1 PAYMENT 100", "K1 SURPLUS 900", "K2 PAYMENT 100", "K2 SURPLUS 2400", "K3 PAYMENT 100", "K3 SURPLUS 600"])
        #expect(lines.first?.payerDigits == S.personB)
        #expect(lines.first?.debtorClaimType == "BIBGEBYR")
        // Nothing new: no batch, and the sequence is not used.
        let (empty, _) = try await scenario.allocate()
        #expect(try await scenario.export(cycle: empty) == nil)
        try await scenario.bookFile(2, payments: [S.payment("K4")])
        let (third, _) = try await scenario.allocate()
        #expect(try await scenario.export(cycle: third)?.sequence == 2)
    }

    @Test("An empty batch only when asked for; a series added later starts after what its channel exported", arguments: TestBackend.allCases)
    func seriesAndEmptyBatches(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (first, _) = try await scenario.allocate()
        try await scenario.export(cycle: first)
        let late = ExportSeries(name: "camt", channel: .debtor, prefix: "camt", fileExtension: "xml")
        let (second, _) = try await scenario.allocate()
        let empty = try await scenario.store.cycle { session in
            try await session.registerSeries(late, at: S.day)
            return try await session.prepareBatch(series: late, createdAt: S.day, cycleID: second, includeEmpty: true)
        }
        #expect(empty?.info.lineCount == 0)
        #expect(empty?.sequence == 1)
        try await scenario.bookFile(2, payments: [S.payment("K2")])
        let (third, _) = try await scenario.allocate()
        let lateBatch = try #require(try await scenario.export(late, cycle: third))
        #expect(try await scenario.lines(of: lateBatch).map(\.transactionID) == ["K2"])
        #expect(lateBatch.sequence == 2)
    }

    @Test("Two series of one channel each carry every part; one that fails catches up with the same parts later", arguments: TestBackend.allCases)
    func twoSeries(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        let camt = ExportSeries(name: "camt", channel: .debtor, prefix: "camt", fileExtension: "xml")
        try await scenario.store.cycle { session in
            try await session.registerSeries(S.debtor, at: S.day)
            try await session.registerSeries(camt, at: S.day)
        }
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (first, _) = try await scenario.allocate()
        try await scenario.export(cycle: first)
        try await scenario.bookFile(2, payments: [S.payment("K2")])
        let (second, _) = try await scenario.allocate()
        try await scenario.export(cycle: second)
        let caughtUp = try #require(try await scenario.export(camt, cycle: second))
        #expect(try await scenario.lines(of: caughtUp).map(\.transactionID) == ["K1", "K2"])
        let counts = try await scenario.store.cycle { try await $0.exportedCounts(cycleID: second) }
        #expect(counts.payments == 2)
        #expect(counts.surplusPayments == 2)
    }

    @Test("A prepared batch given up frees its sequence and its parts; only the newest of a series can be", arguments: TestBackend.allCases)
    func abandon(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (cycle, _) = try await scenario.allocate()
        let batch = try #require(try await scenario.export(cycle: cycle, publish: false))
        #expect(try await scenario.store.cycle { try await $0.preparedBatches() }.map(\.id) == [batch.id])
        #expect(try await scenario.store.cycle { try await $0.abandonBatch(batch, reason: "does not validate", at: S.day) })
        #expect(try await scenario.store.cycle { try await $0.preparedBatches() }.isEmpty)
        let again = try #require(try await scenario.export(cycle: cycle, publish: false))
        #expect(again.sequence == 1)
        #expect(try await scenario.lines(of: again).map(\.transactionID) == ["K1"])
        try await scenario.store.cycle { session in
            try await session.markPublished(batch: again, sha256: "s", outboxPath: "/o", archivePath: "/a", at: S.day, cycleID: cycle, anchor: nil)
        }
        #expect(try await scenario.store.cycle { try await $0.abandonBatch(again, reason: "late", at: S.day) } == false)
    }

    @Test("A void of an exported payment is reversed in the next cycle, reversals before payments in the next batch", arguments: TestBackend.allCases)
    func reversal(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1", ore: 4000)])
        let (first, _) = try await scenario.allocate { payment in
            [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: Amount(ore: 2500)),
             AllocationPart(kind: .payment, claimID: "F-2", channel: .debtor, amount: Amount(ore: 1500))]
        }
        try await scenario.export(cycle: first)
        let known = try await scenario.store.intake { try await $0.knownTransactions(kioskID: StoreScenario.kiosk, ids: ["K1"]) }
        let row = try #require(known["K1"]?.payment?.rowID)
        let void = VoidRecord(voidID: "V1", voidedAt: S.day.adding(seconds: 1500), voidsTransactionID: "K1", amount: Amount(ore: 4000), reason: nil)
        try await scenario.bookFile(2, payments: [S.payment("K2", ore: 100, minute: 30)], voids: [(void, .stored(row), .reversal)])
        let reversed = try await scenario.store.cycle { session in
            let cycle = try await session.startCycle(at: S.day.adding(seconds: 2400), command: "cycle")
            return (cycle, try await session.createPendingReversals(cycleID: cycle, at: S.day.adding(seconds: 2400)))
        }
        #expect(reversed.1 == 1)
        try await scenario.allocate()
        let batch = try #require(try await scenario.export(cycle: reversed.0))
        #expect(try await scenario.lines(of: batch).map { "\($0.kind.rawValue) \($0.transactionID) \($0.claimID ?? "-") \($0.amount.ore)" } == [
            "REVERSAL K1 F-1 -2500", "REVERSAL K1 F-2 -1500", "SURPLUS K2 - 100"])
        let counts = try await scenario.store.cycle { try await $0.exportedCounts(cycleID: reversed.0) }
        #expect(counts.reversals == 1)
    }

    @Test("A void of a payment allocated but never exported takes its allocation back", arguments: TestBackend.allCases)
    func cancelAfterAllocation(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1"), S.payment("K2", minute: 1)])
        let (cycle, _) = try await scenario.allocate()
        let known = try await scenario.store.intake { try await $0.knownTransactions(kioskID: StoreScenario.kiosk, ids: ["K1"]) }
        let row = try #require(known["K1"]?.payment?.rowID)
        let void = VoidRecord(voidID: "V1", voidedAt: S.day, voidsTransactionID: "K1", amount: Amount(ore: 4000), reason: nil)
        try await scenario.bookFile(2, payments: [], voids: [(void, .stored(row), .cancel)])
        let batch = try #require(try await scenario.export(cycle: cycle))
        #expect(batch.info.lineCount == 1)
        #expect(batch.info.sum == Amount(ore: 4000))
        #expect(try await scenario.lines(of: batch).map(\.transactionID) == ["K2"])
        #expect(try await scenario.store.lookup { try await $0.parts(ofPayment: row) }.isEmpty)
    }
}
