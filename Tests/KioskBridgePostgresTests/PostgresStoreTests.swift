import Foundation
import KioskBridgeCore
@testable import KioskBridgePostgres
import KioskBridgeStore
import StoreTestSupport
import Testing

/// What only the hosted store has to get right: schemas of one database kept apart, its
/// errors (never a password, never a CPR number), and COPY carrying any text unchanged.
@Suite("The PostgreSQL store")
struct PostgresStoreTests {
    static let at = Instant(millisecondsSinceEpoch: 1_795_000_000_000)

    func freshStore() async throws -> (store: PostgresBridgeStore, schema: String) {
        try TestBackend.postgres.requireAvailable()
        let schema = TestPostgres.newSchema()
        let store = try await PostgresBridgeStore(settings: try TestPostgres.server().settings(schema: schema), logger: TestPostgres.quiet)
        return (store, schema)
    }

    @Test("Behind a pooler ([store] pooler = true) a holder that ended is taken over only once its lease has lapsed")
    func poolerWaitsForTheLease() async throws {
        try TestBackend.postgres.requireAvailable()
        var settings = try TestPostgres.server().settings(schema: TestPostgres.newSchema())
        settings.pooler = true
        let holder = try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet)
        let standby = try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet)
        let first = LeaseCandidate(holder: "server-a:100:x", host: "server-a", pid: 100)
        let second = LeaseCandidate(holder: "server-b:200:y", host: "server-b", pid: 200)
        #expect(try await holder.lease { try await $0.acquire(first, seconds: 3) } != nil)
        await holder.close()
        // Its connections are gone, but behind a pooler that proves nothing.
        #expect(try await standby.lease { try await $0.acquire(second, seconds: 3) } == nil)
        try await Task.sleep(for: .milliseconds(3500))
        #expect(try await standby.lease { try await $0.acquire(second, seconds: 3) } != nil)
        await standby.close()
    }

    /// Which limit ended each wait is told by the server's error, not by a clock: the other
    /// limit is two minutes, so a limit not applied would end the wait with the other's error.
    @Test("A write waits for another session's lock no longer than lock_timeout, and no statement runs past statement_timeout",
          .timeLimit(.minutes(5)))
    func writesWaitNoLongerThanTheirLimits() async throws {
        try TestBackend.postgres.requireAvailable()
        let schema = TestPostgres.newSchema()
        // The schema is made first, with the default limits: the waits this test is about are
        // for the lock it holds itself. Made under the 0.3 s limit, on a loaded machine, the
        // schema's migration once ran into that limit before the test took its lock.
        await (try PostgresBridgeStore(settings: try TestPostgres.server().settings(schema: schema), logger: TestPostgres.quiet)).close()
        var lockLimited = try TestPostgres.server().settings(schema: schema)
        lockLimited.lockTimeoutSeconds = 0.3
        lockLimited.statementTimeoutSeconds = 120
        var statementLimited = lockLimited
        statementLimited.lockTimeoutSeconds = 120
        statementLimited.statementTimeoutSeconds = 1
        var stores: [PostgresBridgeStore] = []
        for settings in [lockLimited, statementLimited] {
            stores.append(try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet))
        }
        let failures = try await TestPostgres.server().holdingLock(on: "kiosk_file", inSchema: schema) {
            var failures: [StoreError?] = []
            for store in stores {
                do {
                    _ = try await store.intake { try await $0.acceptedFile(sha256: "sha-1") }
                    failures.append(nil)
                } catch let error as StoreError {
                    failures.append(error)
                }
            }
            return failures
        }
        #expect(failures.map { $0?.code } == [.busy, .busy])
        #expect(failures[0]?.message.contains("lock timeout") == true)
        #expect(failures[1]?.message.contains("statement timeout") == true)
        for store in stores { await store.close() }
    }

    @Test("refreshStatistics: after a large cycle the planner's statistics of the bridge's tables are brought up to date")
    func statisticsRefreshed() async throws {
        let (store, schema) = try await freshStore()
        try await book(store, payments: [("K1", "B-1", "0101901234", 4000)])
        let analysed = "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = '\(schema)' AND relname = 'payment' AND last_analyze IS NOT NULL"
        #expect(try await TestPostgres.server().integer(analysed) == 0)
        try await store.refreshStatistics()
        // The statistics collector reports the ANALYZE moments later.
        var seen = 0
        for _ in 0..<50 where seen == 0 {
            seen = try await TestPostgres.server().integer(analysed) ?? 0
            if seen == 0 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(seen == 1)
        await store.close()
    }

    /// Books one accepted file with these payments; returns the file's id.
    @discardableResult
    func book(_ store: any BridgeStore, kiosk: String = "KIOSK-0042", location: String = "Hovedbiblioteket", cause: String = "accepted",
              payments: [(transaction: String, receipt: String, payer: String, ore: Int)]) async throws -> RowID {
        let kioskID = try #require(KioskID(kiosk))
        return try await store.intake { session in
            let file = try await session.recordFile(NewFileRecord(
                name: "\(kiosk)_1.csv", processingName: "\(kiosk)_1.csv", sha256: UUID().uuidString, size: 100, format: "csv",
                encoding: "UTF-8", header: nil, receivedAt: Self.at, verdict: .accepted), cause: cause)
            var bookings = FileBookings(fileID: file, at: Self.at)
            for (index, payment) in payments.enumerated() {
                let record = PaymentRecord(transactionID: payment.transaction, paidAt: Self.at, payer: try Payer(parsing: payment.payer),
                                           claimType: "BIBLIOTEKSGEBYR", amount: Amount(ore: payment.ore), tender: .cash,
                                           receipt: payment.receipt, operatorID: nil)
                bookings.payments.append(NewPayment(record: record, kioskID: kioskID, location: location,
                                                    debtorClaimType: "BIBGEBYR", line: index + 2))
            }
            try await session.book(bookings)
            var tally = FileTally()
            tally.paymentsBooked = payments.count
            tally.paymentsSum = Amount(ore: payments.reduce(0) { $0 + $1.ore })
            try await session.completeFile(id: file, tally: tally, trailerSum: tally.paymentsSum, at: Self.at)
            return file
        }
    }

    @Test("Two bridges in two schemas of one database see nothing of each other")
    func schemasIsolated() async throws {
        let (first, firstSchema) = try await freshStore()
        let (second, secondSchema) = try await freshStore()
        #expect(firstSchema != secondSchema)
        try await book(first, payments: [("T-1", "R-1", "0101901234", 4000)])
        let seenByFirst = try await first.lookup { try await $0.payments(receiptOrTransaction: "R-1", payerDigits: nil) }
        let seenBySecond = try await second.lookup { try await $0.payments(receiptOrTransaction: "R-1", payerDigits: nil) }
        #expect(seenByFirst.map(\.receipt) == ["R-1"])
        #expect(seenBySecond.isEmpty)
        let totals = try await second.operations { try await $0.runningTotals() }
        #expect(totals.paymentsBooked == 0)
        // Each schema keeps its own trail, from row 1.
        let firstHead = try await first.audit { try await $0.trailHead() }
        let secondHead = try await second.audit { try await $0.trailHead() }
        #expect(firstHead?.rowID == 2)
        #expect(secondHead == nil)
        await first.close()
        await second.close()
    }

    @Test("COPY and the booking's column arrays carry quotes, tabs, newlines, backslashes, braces, commas, the word NULL and non-ASCII text unchanged")
    func oddText() async throws {
        let (store, _) = try await freshStore()
        let location = "Bibliotek \"Øst\"\t'Ærø' \\ C:\\kiosk\nlinje 2\r\nslut ß€😀 \\N {a,b}"
        let receipt = "R\\N\t\"1\"\n"
        try await book(store, location: location, cause: location, payments: [("T\\x-1\t", receipt, "0101901234", 12_345),
                                                                          ("{T,2}", "NULL", "0101901234", 1)])
        let found = try await store.lookup { try await $0.payments(receiptOrTransaction: receipt, payerDigits: nil) }
        let payment = try #require(found.first)
        #expect(payment.location == location)
        #expect(payment.receipt == receipt)
        #expect(payment.transactionID == "T\\x-1\t")
        #expect(payment.amount == Amount(ore: 12_345))
        let word = try await store.lookup { try await $0.payments(receiptOrTransaction: "NULL", payerDigits: nil) }
        #expect(word.map(\.transactionID) == ["{T,2}"])
        #expect(word.first?.operatorID == nil)
        // The trail row written through COPY holds the same text, and the chain verifies.
        let verification = try await store.audit { try await TrailVerifier.verify($0) }
        #expect(verification.problem == nil)
        #expect(verification.rowsChecked == 2)
        var causes: [String] = []
        try await store.audit { session in try await session.forEachTrailRow(chunk: 10) { causes += $0.map(\.entry.cause) } }
        #expect(causes.first == location)
        await store.close()
    }

    @Test("Every § in a statement names the schema, and the text around it is kept, ° and ø included")
    func schemaInStatements() {
        #expect(PostgresTransaction.qualify("SELECT '°ø' FROM §payment p JOIN §void v ON v.payment_id = p.id", prefix: "\"kb 1\".")
                == "SELECT '°ø' FROM \"kb 1\".payment p JOIN \"kb 1\".void v ON v.payment_id = p.id")
        #expect(PostgresTransaction.qualify("SELECT 1", prefix: "\"kb\".") == "SELECT 1")
        #expect(PostgresTransaction.qualify("§§°", prefix: "s.") == "s.s.°")
    }

    @Test("A refused write is a constraint error that names no CPR number, though the row held one")
    func noCPRInErrors() async throws {
        let (store, _) = try await freshStore()
        // A payment of 0 øre breaks a check of the table; the server's DETAIL quotes the row, payer and all.
        let error = await #expect(throws: StoreError.self) {
            try await book(store, payments: [("T-0", "R-0", "0101901234", 0)])
        }
        #expect(error?.code == .constraint)
        #expect(error?.description.contains("0101901234") == false)
        #expect(error?.description.contains("010190") == false)
        #expect(error?.description.contains("SQLSTATE 23514") == true)
        await store.close()
    }

    @Test("A wrong password is a configuration error that says what to check and never shows the password")
    func wrongPassword() async throws {
        try TestBackend.postgres.requireAvailable()
        let server = try TestPostgres.server()
        let secret = "Wrong-Secret-4711"
        let settings = try server.settings(schema: TestPostgres.newSchema()).with(password: secret)
        let error = await #expect(throws: StoreError.self) { try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("28P01") == true)
        #expect(error?.description.contains("password_file") == true)
        #expect(error?.description.contains(secret) == false)
        #expect(error?.description.contains(server.password ?? "-") == false)
    }

    @Test("A database that does not exist is a configuration error naming it")
    func missingDatabase() async throws {
        try TestBackend.postgres.requireAvailable()
        let server = try TestPostgres.server()
        let url = "postgresql://\(server.user)@\(server.host):\(server.port)/no_such_db_kb?sslmode=disable"
        let settings = try PostgresSettings.make(url: url, schema: "kb_0751", passwordFile: nil, caFile: nil, environment: [:])
            .with(password: server.password)
        let error = await #expect(throws: StoreError.self) { try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("no_such_db_kb") == true)
    }

    @Test("A server that is not there is unavailable, without the minute of retries a connection pool would spend")
    func serverDown() async throws {
        let port = try Self.unusedPort()
        let settings = try PostgresSettings.make(url: "postgresql://kioskbridge@127.0.0.1:\(port)/kioskbridge?sslmode=disable",
                                                 schema: "kb_0751", passwordFile: nil, caFile: nil, environment: [:])
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) { try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet) }
        #expect(error?.code == .unavailable)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(ContinuousClock.now - started < .seconds(45))
    }

    @Test("TLS required by the URL but not offered by the server is a configuration error")
    func tlsRefused() async throws {
        try TestBackend.postgres.requireAvailable()
        let server = try TestPostgres.server()
        let url = "postgresql://\(server.user)@\(server.host):\(server.port)/\(server.database)?sslmode=require"
        let settings = try PostgresSettings.make(url: url, schema: "kb_0751", passwordFile: nil, caFile: nil, environment: [:])
            .with(password: server.password)
        let error = await #expect(throws: StoreError.self) { try await PostgresBridgeStore(settings: settings, logger: TestPostgres.quiet) }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("TLS") == true)
    }

    @Test("The password comes from password_file, then PGPASSWORD, then ~/.pgpass; a password in the URL is refused")
    func passwordSources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kb-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let url = "postgresql://kb@db.example:5433/bridges?sslmode=disable"
        try "from-file\nignored\n".write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
        try "db.example:5433:bridges:kb:from\\:pgpass\n".write(toFile: folder + "/pgpass", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/pgpass")
        func password(_ file: String?, _ environment: [String: String]) throws -> String? {
            let settings = try PostgresSettings.make(url: url, schema: "kb_0751", passwordFile: file, caFile: nil, environment: environment)
            return Mirror(reflecting: settings).children.first { $0.label == "password" }?.value as? String
        }
        #expect(try password(folder + "/pw", ["PGPASSWORD": "from-env"]) == "from-file")
        #expect(try password(nil, ["PGPASSWORD": "from-env", "PGPASSFILE": folder + "/pgpass"]) == "from-env")
        #expect(try password(nil, ["PGPASSFILE": folder + "/pgpass"]) == "from:pgpass")
        let error = #expect(throws: StoreError.self) {
            try PostgresSettings.make(url: "postgresql://kb:hunter2@db.example/bridges", schema: "kb_0751", passwordFile: nil, caFile: nil)
        }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("hunter2") == false)
        #expect(throws: StoreError.self) {
            try PostgresSettings.make(url: url, schema: "KB; DROP", passwordFile: nil, caFile: nil, environment: [:])
        }
    }

    static func unusedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw StoreError(.io, "no free port", backend: "test") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
