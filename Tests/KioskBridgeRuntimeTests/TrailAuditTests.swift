import Crypto
import Foundation
import GRDB
import Testing
import KioskBridgeRuntime
@testable import KioskBridgeStore

/// Issue: a tamper-evident trail. Every row carries the SHA-256 of its content and a chain
/// hash over the previous row; `audit verify` names the first row that does not fit.
@Suite("The trail's hash chain")
struct TrailAuditTests {
    func verify(_ fixture: RuntimeFixture) throws -> TrailVerification { try TrailAudit(store: fixture.store).verify() }

    @Test("An untouched trail verifies, and the chain head is kept beside every archived export")
    func intact() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        let result = try verify(fixture)
        #expect(result.problem == nil)
        #expect(result.rowsChecked > 10)
        let heads = try FileManager.default.subpathsOfDirectory(atPath: fixture.configuration.paths.archive).filter { $0.hasSuffix(".trail-head") }
        #expect(heads.count == 2)
    }

    @Test("Removing an anchor kept beside an archived export is caught")
    func removedAnchor() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        let archive = fixture.configuration.paths.archive
        let anchor = try #require(try FileManager.default.subpathsOfDirectory(atPath: archive).first { $0.hasSuffix(".trail-head") })
        try FileManager.default.removeItem(atPath: archive + "/" + anchor)
        let problem = try #require(try verify(fixture).problem)
        #expect(problem.contains("missing"))
        #expect(problem.contains((anchor as NSString).lastPathComponent))
    }

    @Test("Changing a row is caught, naming that row")
    func changedRow() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        try fixture.tamper { try $0.execute(sql: "UPDATE trail SET cause = 'nothing happened' WHERE id = 7") }
        let problem = try #require(try verify(fixture).problem)
        #expect(problem.contains("trail row 7"))
        #expect(problem.contains("changed"))
    }

    @Test("Deleting a row is caught, naming the missing row")
    func deletedRow() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        try fixture.tamper { try $0.execute(sql: "DELETE FROM trail WHERE id = 9") }
        let problem = try #require(try verify(fixture).problem)
        #expect(problem.contains("trail row 9 missing"))
    }

    @Test("Inserting a row (renumbering the ones after it) is caught")
    func insertedRow() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        try fixture.tamper { db in
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM trail") ?? 0
            var id = last
            while id >= 5 {
                try db.execute(sql: "UPDATE trail SET id = id + 1 WHERE id = ?", arguments: [id])
                id -= 1
            }
            try db.execute(sql: """
                INSERT INTO trail (id, at, subject, subject_id, event, cause, content_hash, chain_hash)
                SELECT 5, at, subject, subject_id, event, 'forged', content_hash, chain_hash FROM trail WHERE id = 4
                """)
        }
        let problem = try #require(try verify(fixture).problem)
        #expect(problem.contains("trail row 5"))
    }

    @Test("Rewriting the whole chain consistently is caught against the heads recorded with the exports")
    func rewrittenChain() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        try fixture.tamper { db in
            try db.execute(sql: "UPDATE trail SET cause = 'forged' WHERE id = 3")
            // Recompute every hash, as someone who knows the scheme would.
            var previous = TrailChain.genesis
            let rows = try Row.fetchAll(db, sql: "SELECT id, at, subject, subject_id, event, cause, file_id, batch_id, cycle_id, through_id FROM trail ORDER BY id")
            for row in rows {
                let content = Array(SHA256.hash(data: TrailChain.content(id: row[0], at: row[1], subject: row[2], subjectID: row[3],
                                                                        through: row[9], event: row[4], cause: row[5], file: row[6], batch: row[7], cycle: row[8])))
                let chain = TrailChain.chain(previous: previous, contentHash: content)
                try db.execute(sql: "UPDATE trail SET content_hash = ?, chain_hash = ? WHERE id = ?",
                               arguments: [Data(content), Data(chain), row[0] as Int64])
                previous = chain
            }
        }
        let problem = try #require(try verify(fixture).problem)
        #expect(problem.contains("rewritten"))
        // Even when the heads in the database are rewritten too, the ones beside the archived files remain.
        try fixture.tamper { db in
            let batches = try Row.fetchAll(db, sql: "SELECT id, trail_head_id FROM export_batch")
            for batch in batches {
                let hash = try Data.fetchOne(db, sql: "SELECT chain_hash FROM trail WHERE id = ?", arguments: [batch[1] as Int64]) ?? Data()
                try db.execute(sql: "UPDATE export_batch SET trail_head_hash = ? WHERE id = ?",
                               arguments: [TrailChain.hex([UInt8](hash)), batch[0] as Int64])
            }
        }
        let again = try #require(try verify(fixture).problem)
        #expect(again.contains(".trail-head"))
    }

    @Test("Every state change of a payment is in its trail: booked, allocated, exported, voided, reversal exported")
    func paymentRows() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        let events = try fixture.store.read { reader in try reader.trail(subject: "payment", id: 1).map(\.event) }
        #expect(events == ["booked", "allocated", "exported", "voided"])
        let voidEvents = try fixture.store.read { reader in try reader.trail(subject: "void", id: 1).map(\.event) }
        #expect(voidEvents == ["booked", "reversed", "exported"])
        let second = try fixture.store.read { reader in try reader.trail(subject: "payment", id: 2).map(\.event) }
        #expect(second == ["booked", "allocated", "exported"])
    }

    @Test("The payments booked from one file are one trail row, and so are a cycle's allocations; a published batch speaks for what it carried")
    func runsOfSubjects() throws {
        let fixture = try RuntimeFixture()
        try fixture.runDay()
        let queue = try DatabaseQueue(path: fixture.configuration.paths.database)
        let runs = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT subject, subject_id, through_id, event, cause FROM trail WHERE through_id IS NOT NULL ORDER BY id")
                .map { "\($0[0] as String) \($0[1] as Int64)-\($0[2] as Int64) \($0[3] as String): \($0[4] as String)" }
        }
        #expect(runs == ["payment 1-2 booked: booked from file 1: 2 payments",
                         "allocation_part 1-2 allocated: allocated in cycle 1: 2 payments",
                         "payment 3-3 booked: booked from file 2: 1 payment",
                         "allocation_part 4-4 allocated: allocated in cycle 2: 1 payment"])
        // Three payments, yet no per-payment row for booking, allocation or export.
        let perPayment = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM trail WHERE subject = 'payment' AND through_id IS NULL AND event <> 'voided'")
        }
        #expect(perPayment == 0)
    }
}
