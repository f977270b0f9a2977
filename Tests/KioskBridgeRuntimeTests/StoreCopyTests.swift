import Foundation
import Testing
import KioskBridgeRuntime
import KioskBridgeStore
import StoreTestSupport

/// hosting.md: the same inputs give the same outputs on either store, and `store copy`
/// moves an SQLite bridge into an empty PostgreSQL schema, trail hashes included.
@Suite("Moving between stores")
struct StoreCopyTests {
    /// The export files of the fixture's outbox and worklist, by name.
    func exports(_ fixture: RuntimeFixture) throws -> [String: String] {
        var files: [String: String] = [:]
        for folder in [fixture.configuration.paths.outbox, fixture.configuration.paths.worklist] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
                files[name] = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            }
        }
        return files
    }

    @Test("The same day gives the same export files and the same trail on SQLite and on PostgreSQL")
    func sameOutputs() async throws {
        try TestBackend.postgres.requireAvailable()
        let sqlite = try await RuntimeFixture.make(.sqlite)
        let postgres = try await RuntimeFixture.make(.postgres)
        try await sqlite.runDay()
        try await postgres.runDay()
        let expected = try exports(sqlite)
        #expect(expected.count == 2)
        #expect(try exports(postgres) == expected)
        let sqliteTrail = try await TrailAudit(store: sqlite.store).verify()
        let postgresTrail = try await TrailAudit(store: postgres.store).verify()
        #expect(postgresTrail.problem == nil)
        #expect(postgresTrail.rowsChecked == sqliteTrail.rowsChecked)
        let receipt = { (fixture: RuntimeFixture) in
            try await fixture.store.lookup { try await $0.payments(receiptOrTransaction: "B-1", payerDigits: nil) }
        }
        let onSQLite = try await receipt(sqlite)
        let onPostgres = try await receipt(postgres)
        #expect(onPostgres == onSQLite)
    }

    @Test("store copy: the copy verifies with the same head, and a further cycle exports only the new payments")
    func copy() async throws {
        try TestBackend.postgres.requireAvailable()
        let fixture = try await RuntimeFixture.make(.sqlite)
        try await fixture.runDay()
        let source = try #require(fixture.store as? any StoreTableSource)
        let target = try await TestStore.make(.postgres, folder: fixture.root)
        let destination = try #require(target.store as? any StoreTableDestination)
        let copied = try await destination.receiveTables { sink in try await source.copyTables(into: sink) }
        #expect(copied.rows.first { $0.table == "payment" }?.count == 3)
        #expect(copied.rows.first { $0.table == "trail" }?.count ?? 0 > 10)

        let original = try await TrailAudit(store: fixture.store).verify()
        let copy = try await TrailAudit(store: target.store).verify()
        #expect(copy.problem == nil)
        #expect(copy.head == original.head)
        #expect(copy.head != nil)

        // A second copy into the same schema is refused, and changes nothing.
        let again = await #expect(throws: StoreError.self) {
            try await destination.receiveTables { sink in try await source.copyTables(into: sink) }
        }
        #expect(again?.code == .configuration)
        #expect(again?.description.contains("empty schema") == true)

        // The bridge goes on on PostgreSQL: its next file's payment, and only that, is exported.
        try fixture.drop("c.csv", """
            H;1;KIOSK-0042;Hovedbiblioteket;3;2026-11-21T15:05:00+01:00
            D;K42-5;2026-11-21T15:01:00+01:00;1505851237;BIBLIOTEKSGEBYR;15,00;CASH;B-5;
            T;1;15,00

            """)
        let ingest = IngestRun(configuration: fixture.configuration, store: target.store, logger: fixture.logger, sleep: { _ in })
        let summary = try await CycleRun(configuration: fixture.configuration, store: target.store, logger: fixture.logger, ingest: ingest)
            .run(at: RuntimeFixture.instant("2026-11-21T15:20:00+01:00"))
        #expect(summary.paymentsExported == 1)
        #expect(summary.reversalsExported == 0)
        #expect(summary.exportFiles.count == 1)
        let after = try await TrailAudit(store: target.store).verify()
        #expect(after.problem == nil)
        #expect((after.head?.rowID ?? 0) > (original.head?.rowID ?? 0))
        // The new file continues the series: sequence 3 after the two SQLite exported.
        #expect(summary.exportFiles.first?.hasSuffix("_000003.csv") == true)
    }
}
