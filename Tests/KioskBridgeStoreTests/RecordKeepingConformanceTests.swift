import KioskBridgeCore
import KioskBridgeStore
import StoreTestSupport
import Testing

/// Snapshots, the desk's accounts, purging and the trail, on every store.
@Suite("Store conformance: claims, desk, purge and trail")
struct RecordKeepingConformanceTests {
    typealias S = StoreScenario

    func claim(_ id: String, source: ClaimSource = .debtor, line: Int = 2) -> SnapshotClaim {
        SnapshotClaim(claim: Claim(id: id, payer: Payer(storedDigits: S.personA)!, claimType: "BIBLIOTEKSGEBYR",
                                   createdOn: LocalDate(iso: "2026-09-01")!, dueOn: LocalDate(iso: "2026-09-15"), originalAmount: Amount(ore: 2000),
                                   outstanding: Amount(ore: 2000), payableIn: .debtor, source: source), line: line)
    }

    func load(_ scenario: StoreScenario, _ claims: [SnapshotClaim], source: ClaimSource = .debtor, asOf: Instant = S.day) async throws -> SnapshotClaim? {
        try await scenario.store.claims { session in
            try await session.beginReplacing(ClaimsSnapshotHeader(source: source, asOf: asOf))
            try await session.insertClaims(claims)
            try await session.insertApplied([AppliedTransaction(kioskID: S.kiosk, transactionID: "K0")], source: source)
            let snapshot = StoredSnapshot(source: source, asOf: asOf, loadedAt: S.day, fileName: "claims.csv", claims: claims.count,
                                          outstanding: Amount(ore: 2000 * claims.count), appliedRecords: 1)
            return try await session.finishReplacing(snapshot, sha256: "s", at: S.day)
        }
    }

    @Test("A snapshot replaces its source's claims as a whole; a claim id listed twice is named with its line", arguments: TestBackend.allCases)
    func snapshots(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        #expect(try await load(scenario, [claim("F-1"), claim("F-2")]) == nil)
        #expect(try await load(scenario, [claim("F-3")], asOf: S.day.adding(seconds: 60)) == nil)
        let open = try await scenario.store.lookup { try await $0.openClaims(payerDigits: S.personA, payableIn: .debtor) }
        #expect(open.map(\.id) == ["F-3"])
        let repeated = try await load(scenario, [claim("F-4", line: 2), claim("F-5", line: 3), claim("F-4", line: 4)])
        #expect(repeated?.line == 4)
        #expect(repeated?.claim.id == "F-4")
        let current = try await scenario.store.claims { try await $0.currentSnapshot(source: .debtor) }
        #expect(current?.appliedRecords == 1)
        #expect(try await scenario.store.operations { try await $0.snapshots() }.map(\.source) == [.debtor])
    }

    @Test("Desk accounts: added, password replaced, listed by name; access-log rows in the trail", arguments: TestBackend.allCases)
    func desk(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.store.desk { session in
            let anne = try await session.saveUser(name: "anne", passwordHash: "h1", at: S.day)
            _ = try await session.saveUser(name: "bo", passwordHash: "h2", at: S.day)
            let again = try await session.saveUser(name: "anne", passwordHash: "h3", at: S.day)
            #expect(again.id == anne.id)
            try await session.logAccess(staff: "anne", subject: "desk-user", subjectID: anne.id, event: "searched-cpr",
                                        cause: "searched by CPR 010190-****", at: S.day)
        }
        try await scenario.store.desk { session async throws in
            #expect(try await session.users().map(\.name) == ["anne", "bo"])
            #expect(try await session.user(named: "anne")?.passwordHash == "h3")
            #expect(try await session.user(named: "carl") == nil)
        }
        let log = try await scenario.store.lookup { try await $0.trail(subject: "desk-user", id: 1) }
        #expect(log.map(\.event) == ["added", "password-changed", "searched-cpr"])
        #expect(log.last?.cause == "searched by CPR 010190-**** (desk: anne)")
    }

    @Test("Purge pseudonymises exported payments before the cutoff, and only those", arguments: TestBackend.allCases)
    func purge(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (cycle, _) = try await scenario.allocate()
        try await scenario.export(cycle: cycle)
        try await scenario.bookFile(2, payments: [S.payment("K2", minute: 1)])
        let result = try await scenario.store.purge { session in
            try await session.pseudonymise(before: S.day.adding(seconds: 86_400), pseudonym: { "P:" + String($0.reversed()) }, at: S.day)
        }
        #expect(result.payments == 1)
        let payers = try await scenario.payments("K1").map(\.payerDigits) + scenario.payments("K2").map(\.payerDigits)
        #expect(payers == ["P:" + String(S.personA.reversed()), S.personA])
        let files = try await scenario.store.purge { try await $0.purgeableFiles(before: S.day.adding(seconds: 86_400)) }
        #expect(files.exportCopies.count == 1)
    }

    @Test("The trail's rows come in id order without gaps, in runs, and its head is the last row's chain hash", arguments: TestBackend.allCases)
    func trailRows(_ backend: TestBackend) async throws {
        let scenario = try await S.make(backend)
        try await scenario.bookFile(1, payments: [S.payment("K1")])
        let (cycle, _) = try await scenario.allocate()
        try await scenario.export(cycle: cycle)
        var rows: [TrailRow] = []
        var runs = 0
        try await scenario.store.audit { session in
            try await session.forEachTrailRow(chunk: 2) { run in
                #expect(run.count <= 2)
                rows += run
                runs += 1
            }
        }
        #expect(rows.map(\.id) == Array(1...Int64(rows.count)))
        #expect(runs >= rows.count / 2)
        let head = try await scenario.store.audit { try await $0.trailHead() }
        #expect(head == TrailHead(rowID: Int64(rows.count), sha256: TrailChain.hex(rows.last?.chainHash ?? [])))
        let verification = try await scenario.store.audit { try await TrailVerifier.verify($0) }
        #expect(verification.problem == nil)
        #expect(verification.head == head)
    }
}
