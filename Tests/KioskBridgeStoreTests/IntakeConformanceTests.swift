import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// What intake relies on from every store.
@Suite("Store conformance: intake")
struct IntakeConformanceTests {
    @Test("A file's verdict and its move are recorded; a file recorded but not moved is found again after a crash", arguments: TestBackend.allCases)
    func fileAwaitingMove(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        let id = try await scenario.bookFile(1, payments: [StoreScenario.payment("K1")])
        let second = try await scenario.bookFile(2, payments: [StoreScenario.payment("K2")])
        let waiting = try await scenario.store.intake { try await $0.fileAwaitingMove(sha256: "sha-1", processingName: "KIOSK-0042_1.csv") }
        #expect(waiting?.id == id)
        #expect(waiting?.verdict == .accepted)
        try await scenario.store.intake {
            try await $0.setStoredPaths([(id, "/archive/KIOSK-0042_1.csv"), (second, "/archive/KIOSK-0042_2.csv")], at: StoreScenario.day)
        }
        try await scenario.store.intake { session async throws in
            #expect(try await session.fileAwaitingMove(sha256: "sha-1", processingName: "KIOSK-0042_1.csv") == nil)
            #expect(try await session.fileAwaitingMove(sha256: "sha-2", processingName: "KIOSK-0042_2.csv") == nil)
            #expect(try await session.acceptedFile(sha256: "sha-1")?.storedPath == "/archive/KIOSK-0042_1.csv")
            #expect(try await session.acceptedFile(sha256: "sha-2")?.storedPath == "/archive/KIOSK-0042_2.csv")
        }
    }

    @Test("Accepted files are found by content and by kiosk and sequence; the highest sequence below one is known", arguments: TestBackend.allCases)
    func acceptedFiles(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        try await scenario.bookFile(3, payments: [StoreScenario.payment("K1")])
        try await scenario.bookFile(7, payments: [StoreScenario.payment("K2")])
        try await scenario.store.intake { session async throws in
            #expect(try await session.acceptedFile(sha256: "sha-7")?.sequence == 7)
            #expect(try await session.acceptedFile(sha256: "sha-9") == nil)
            let third = try await session.fileHistory(sha256: "sha-9", sequence: .init(kioskID: StoreScenario.kiosk, number: 3))
            #expect(third.sameContent == nil)
            #expect(third.sameSequence?.name == "KIOSK-0042_3.csv")
            #expect(third.highestSequenceBelow == nil)
            let eighth = try await session.fileHistory(sha256: "sha-3", sequence: .init(kioskID: StoreScenario.kiosk, number: 8))
            #expect(eighth.sameContent?.sequence == 3)
            #expect(eighth.sameSequence == nil)
            #expect(eighth.highestSequenceBelow == 7)
            let seventh = try await session.fileHistory(sha256: "sha-7", sequence: .init(kioskID: StoreScenario.kiosk, number: 7))
            #expect(seventh.highestSequenceBelow == 3)
            let otherKiosk = try #require(KioskID("KIOSK-0043"))
            #expect(try await session.fileHistory(sha256: "sha-9", sequence: .init(kioskID: otherKiosk, number: 9)) == FileHistory())
        }
    }

    @Test("Known transactions: a booked payment with its state, a void's id, nothing for new ids or other kiosks", arguments: TestBackend.allCases)
    func knownTransactions(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        let voidRecord = VoidRecord(voidID: "V1", voidedAt: StoreScenario.day.adding(seconds: 600), voidsTransactionID: "K2",
                                    amount: Amount(ore: 4000), reason: "wrong")
        try await scenario.bookFile(1, payments: [StoreScenario.payment("K1"), StoreScenario.payment("K2")],
                                    voids: [(voidRecord, .booked(index: 1), .cancel)])
        let known = try await scenario.store.intake {
            try await $0.knownTransactions(kioskID: StoreScenario.kiosk, ids: ["K1", "K2", "V1", "K9"])
        }
        #expect(Set(known.keys) == ["K1", "K2", "V1"])
        guard case .payment(let record, let source)? = known["K1"]?.booked else { Issue.record("K1 is not a payment"); return }
        #expect(record == StoreScenario.payment("K1"))
        #expect(source == "KIOSK-0042_1.csv line 2")
        #expect(known["K1"]?.payment?.target.isVoided == false)
        #expect(known["K2"]?.payment?.target.isVoided == true)
        #expect(known["K2"]?.payment?.target.amount == Amount(ore: 4000))
        guard case .void(let void, _)? = known["V1"]?.booked else { Issue.record("V1 is not a void"); return }
        #expect(void == voidRecord)
        let other = try await scenario.store.intake { try await $0.knownTransactions(kioskID: KioskID("KIOSK-0099")!, ids: ["K1"]) }
        #expect(other.isEmpty)
    }

    @Test("A payment is exported once a batch carries it, and then a void of it reverses rather than cancels", arguments: TestBackend.allCases)
    func exportedState(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        try await scenario.bookFile(1, payments: [StoreScenario.payment("K1")])
        let (cycle, _) = try await scenario.allocate()
        let before = try await scenario.store.intake { try await $0.knownTransactions(kioskID: StoreScenario.kiosk, ids: ["K1"]) }
        #expect(before["K1"]?.payment?.target.isExported == false)
        try await scenario.export(cycle: cycle, publish: false)
        let after = try await scenario.store.intake { try await $0.knownTransactions(kioskID: StoreScenario.kiosk, ids: ["K1"]) }
        #expect(after["K1"]?.payment?.target.isExported == true)
    }

    @Test("Everything a session did is undone when its work throws", arguments: TestBackend.allCases)
    func rollback(_ backend: TestBackend) async throws {
        struct Abort: Error {}
        let scenario = try await StoreScenario.make(backend)
        await #expect(throws: Abort.self) {
            try await scenario.store.intake { session in
                let id = try await session.recordFile(NewFileRecord(
                    name: "x.csv", processingName: "x.csv", sha256: "sha-x", size: 1, format: "csv", encoding: "utf-8",
                    header: nil, receivedAt: StoreScenario.day, verdict: .accepted), cause: "taken in")
                var bookings = FileBookings(fileID: id, at: StoreScenario.day)
                bookings.payments = [NewPayment(record: StoreScenario.payment("K1"), kioskID: StoreScenario.kiosk, location: "x",
                                                debtorClaimType: "BIBGEBYR", line: 2)]
                try await session.book(bookings)
                throw Abort()
            }
        }
        #expect(try await scenario.payments("K1").isEmpty)
        #expect(try await scenario.store.intake { try await $0.acceptedFile(sha256: "sha-x") } == nil)
        let rows = try await scenario.store.audit { try await $0.trailHead() }
        #expect(rows == nil)
    }

    @Test("Files that share a transaction: one undone at its savepoint is gone with its trail rows, the others stay booked and the trail verifies",
          arguments: TestBackend.allCases)
    func savepointPerFile(_ backend: TestBackend) async throws {
        struct TrailerMismatch: Error {}
        let scenario = try await StoreScenario.make(backend)
        // 10,000 refused records make the session write its trail rows inside the savepoint.
        let refused = (0..<TrailBuffer.flushThreshold).map { index in
            RejectedRecord(summary: RecordSummary(recordType: .payment, transactionID: "R\(index)", receipt: "B-R\(index)", payerText: "x",
                                                  paidAtText: "x", claimType: "x", amount: nil, tender: "x"),
                           problem: IntakeProblem(.invalidValue, line: index + 3, expected: "a CPR number"), kioskID: "KIOSK-0042",
                           wholeFile: false)
        }
        try await scenario.store.intake { session in
            try await scenario.bookFile(1, payments: [StoreScenario.payment("K1")], in: session)
            await #expect(throws: TrailerMismatch.self) {
                try await session.savepoint {
                    try await scenario.bookFile(2, payments: [StoreScenario.payment("K2")], rejected: refused, in: session)
                    throw TrailerMismatch()
                }
            }
            try await session.savepoint {
                try await scenario.bookFile(3, payments: [StoreScenario.payment("K3")], in: session)
            }
        }
        #expect(try await scenario.payments("K1").count == 1)
        #expect(try await scenario.payments("K2").isEmpty)
        #expect(try await scenario.payments("K3").count == 1)
        #expect(try await scenario.store.intake { try await $0.acceptedFile(sha256: "sha-2") } == nil)
        #expect(try await scenario.store.lookup { try await $0.rejectedRecords(receiptOrTransaction: "R1", payerDigits: nil) }.isEmpty)
        let verification = try await scenario.store.audit { try await TrailVerifier.verify($0) }
        #expect(verification.problem == nil)
        // Two files, each taken in and booked: four rows.
        #expect(verification.head?.rowID == 4)
    }

    @Test("The same transaction id booked twice for a kiosk is refused by the store as a constraint", arguments: TestBackend.allCases)
    func uniqueTransaction(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        try await scenario.bookFile(1, payments: [StoreScenario.payment("K1")])
        await #expect {
            try await scenario.bookFile(2, payments: [StoreScenario.payment("K1")])
        } throws: { error in
            (error as? StoreError)?.code == .constraint
        }
        #expect(try await scenario.payments("K1").count == 1)
    }

    @Test("Refused records are kept, bounded as handed over, and found by receipt, transaction id and payer digits", arguments: TestBackend.allCases)
    func rejectedRecords(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        let summary = RecordSummary(recordType: .payment, transactionID: "K7", receipt: "B-7", payerText: "310290-1234",
                                    paidAtText: "2026-11-21T14:02:11+01:00", claimType: "BIBLIOTEKSGEBYR", amount: Amount(ore: 1500),
                                    tender: "CASH")
        let problem = IntakeProblem(.invalidValue, line: 3, field: RecordField.Payment.payer, found: "310290-1234", expected: "a CPR number")
        try await scenario.bookFile(1, payments: [], rejected: [RejectedRecord(summary: summary, problem: problem, kioskID: "KIOSK-0042",
                                                                               wholeFile: false)])
        for query in ["B-7", "K7"] {
            let found = try await scenario.store.lookup { try await $0.rejectedRecords(receiptOrTransaction: query, payerDigits: nil) }
            #expect(found.map(\.summary) == [summary])
            #expect(found.first?.line == 3)
            #expect(found.first?.reasonCode == "record.invalid")
        }
        let byPayer = try await scenario.store.lookup { try await $0.rejectedRecords(receiptOrTransaction: "x", payerDigits: "3102901234") }
        #expect(byPayer.count == 1)
    }

    @Test("Text is stored as written: quotes, tabs, newlines, backslashes and Danish letters", arguments: TestBackend.allCases)
    func oddText(_ backend: TestBackend) async throws {
        let scenario = try await StoreScenario.make(backend)
        let odd = "Å\"b\\c\td\ne'f;g ø"
        let record = PaymentRecord(transactionID: "K\\1\t\"x", paidAt: StoreScenario.day, payer: Payer(storedDigits: StoreScenario.personA)!,
                                   claimType: "BIBLIOTEKSGEBYR", amount: Amount(ore: 100), tender: .card, receipt: odd, operatorID: "o\\p")
        try await scenario.bookFile(1, payments: [record])
        let found = try await scenario.payments(odd)
        #expect(found.map(\.transactionID) == ["K\\1\t\"x"])
        #expect(found.first?.operatorID == "o\\p")
        #expect(found.first?.receipt == odd)
    }
}
