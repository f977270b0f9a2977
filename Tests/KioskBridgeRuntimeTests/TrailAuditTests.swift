import Foundation
import Testing
import KioskBridgeRuntime
import KioskBridgeStore
import StoreTestSupport

/// Issue: a tamper-evident trail. Every row carries the SHA-256 of its content and a chain
/// hash over the previous row; `audit verify` names the first row that does not fit. The
/// same on every backend: the hashed bytes are the store module's, not a database's.
@Suite("The trail's hash chain")
struct TrailAuditTests {
    func verify(_ fixture: RuntimeFixture) async throws -> TrailVerification { try await TrailAudit(store: fixture.store).verify() }

    func day(_ backend: TestBackend) async throws -> RuntimeFixture {
        let fixture = try await RuntimeFixture.make(backend)
        try await fixture.runDay()
        return fixture
    }

    @Test("An untouched trail verifies, and the chain head is kept beside every archived export", arguments: TestBackend.allCases)
    func intact(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        let result = try await verify(fixture)
        #expect(result.problem == nil)
        #expect(result.rowsChecked > 10)
        let heads = try FileManager.default.subpathsOfDirectory(atPath: fixture.configuration.paths.archive).filter { $0.hasSuffix(".trail-head") }
        #expect(heads.count == 2)
    }

    @Test("Removing an anchor kept beside an archived export is caught", arguments: TestBackend.allCases)
    func removedAnchor(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        let archive = fixture.configuration.paths.archive
        let anchor = try #require(try FileManager.default.subpathsOfDirectory(atPath: archive).first { $0.hasSuffix(".trail-head") })
        try FileManager.default.removeItem(atPath: archive + "/" + anchor)
        let problem = try #require(try await verify(fixture).problem)
        #expect(problem.contains("missing"))
        #expect(problem.contains((anchor as NSString).lastPathComponent))
    }

    @Test("Changing a row is caught, naming that row", arguments: TestBackend.allCases)
    func changedRow(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        try await fixture.tamper("UPDATE trail SET cause = 'nothing happened' WHERE id = 7")
        let problem = try #require(try await verify(fixture).problem)
        #expect(problem.contains("trail row 7"))
        #expect(problem.contains("changed"))
    }

    @Test("Deleting a row is caught, naming the missing row", arguments: TestBackend.allCases)
    func deletedRow(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        try await fixture.tamper("DELETE FROM trail WHERE id = 9")
        let problem = try #require(try await verify(fixture).problem)
        #expect(problem.contains("trail row 9 missing"))
    }

    @Test("Inserting a row (renumbering the ones after it) is caught", arguments: TestBackend.allCases)
    func insertedRow(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        try await fixture.tamper("UPDATE trail SET id = -id WHERE id >= 5")
        try await fixture.tamper("UPDATE trail SET id = 1 - id WHERE id < 0")
        try await fixture.tamper("""
            INSERT INTO trail (id, at, subject, subject_id, event, cause, content_hash, chain_hash)
            SELECT 5, at, subject, subject_id, event, 'forged', content_hash, chain_hash FROM trail WHERE id = 4
            """)
        let problem = try #require(try await verify(fixture).problem)
        #expect(problem.contains("trail row 5"))
    }

    @Test("Rewriting the whole chain consistently is caught against the heads recorded with the exports", arguments: TestBackend.allCases)
    func rewrittenChain(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        // Forge row 3 and recompute every hash after it, as someone who knows the scheme would.
        var rows: [TrailRow] = []
        try await fixture.store.audit { session in try await session.forEachTrailRow(chunk: 100) { rows += $0 } }
        var previous = TrailChain.genesis
        for row in rows {
            let entry = row.id == 3
                ? TrailRowContent(at: row.entry.at, subject: row.entry.subject, subjectID: row.entry.subjectID, through: row.entry.through,
                                  event: row.entry.event, cause: "forged", file: row.entry.file, batch: row.entry.batch, cycle: row.entry.cycle)
                : row.entry
            let content = TrailChain.contentHash(id: row.id, entry)
            let chain = TrailChain.chain(previous: previous, contentHash: content)
            try await fixture.tamper("""
                UPDATE trail SET cause = '\(entry.cause)', content_hash = \(fixture.testStore.bytesLiteral(content)),
                                 chain_hash = \(fixture.testStore.bytesLiteral(chain)) WHERE id = \(row.id)
                """)
            previous = chain
        }
        let problem = try #require(try await verify(fixture).problem)
        #expect(problem.contains("rewritten"))
        // Even when the heads in the database are rewritten too, the ones beside the archived files remain.
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        let archived = try await fixture.store.audit { try await $0.archivedHeads() }
        var hashes: [Int64: String] = [:]
        try await fixture.store.audit { session in hashes = try await session.chainHashes(of: archived.map(\.head.rowID)) }
        for entry in archived where byID[entry.head.rowID] != nil {
            try await fixture.tamper("""
                UPDATE export_batch SET trail_head_hash = '\(hashes[entry.head.rowID] ?? "")' WHERE trail_head_id = \(entry.head.rowID)
                """)
        }
        let again = try #require(try await verify(fixture).problem)
        #expect(again.contains(".trail-head"))
    }

    @Test("Every state change of a payment is in its trail: booked, allocated, exported, voided, reversal exported",
          arguments: TestBackend.allCases)
    func paymentRows(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        let events = try await fixture.store.lookup { try await $0.trail(subject: "payment", id: 1).map(\.event) }
        #expect(events == ["booked", "allocated", "exported", "voided"])
        let voidEvents = try await fixture.store.lookup { try await $0.trail(subject: "void", id: 1).map(\.event) }
        #expect(voidEvents == ["booked", "reversed", "exported"])
        let second = try await fixture.store.lookup { try await $0.trail(subject: "payment", id: 2).map(\.event) }
        #expect(second == ["booked", "allocated", "exported"])
    }

    @Test("The payments booked from one file are one trail row, and so are a cycle's allocations; a published batch speaks for what it carried",
          arguments: TestBackend.allCases)
    func oneRowForMany(_ backend: TestBackend) async throws {
        let fixture = try await day(backend)
        var rows: [TrailRow] = []
        try await fixture.store.audit { session in try await session.forEachTrailRow(chunk: 7) { rows += $0 } }
        let many = rows.filter { ["booked", "allocated"].contains($0.entry.event) && ["file", "cycle"].contains($0.entry.subject) }
            .map { "\($0.entry.subject) \($0.entry.subjectID) \($0.entry.event): \($0.entry.cause)" }
        #expect(many == ["file 1 booked: booked from file 1: 2 payments, 289,95",
                         "cycle 1 allocated: allocated 2 payments in 2 parts",
                         "file 2 booked: booked from file 2: 1 payment, 20,00",
                         "cycle 2 allocated: allocated 1 payment in 1 part"])
        // Three payments, yet no per-payment row for booking, allocation or export.
        #expect(rows.filter { $0.entry.subject == "payment" && $0.entry.event != "voided" }.isEmpty)
        #expect(rows.map(\.id) == Array(1...Int64(rows.count)))
    }
}
