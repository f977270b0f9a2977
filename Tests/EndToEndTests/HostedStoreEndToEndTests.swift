import Foundation
import StoreTestSupport
import Testing

/// hosting.md and issue 12's faults, through the command line: a bridge on PostgreSQL
/// works like one on SQLite, and each way of pointing it at the wrong place is one line
/// naming what to fix, with exit 64 (configuration) or 74 (unavailable), never the password.
@Suite("A bridge on PostgreSQL, from the command line")
struct HostedStoreEndToEndTests {
    /// A bridge whose `[store]` points at the test server's database, in a schema of its
    /// own, with the URL or the password line replaced when a test asks.
    func hostedBridge(url: String? = nil, passwordLine: String? = nil) throws -> (BridgeFixture, TestPostgres) {
        let fixture = try BridgeFixture(backend: .postgres) { text in
            if let url {
                text = text.replacingOccurrences(of: #"url = "postgresql://[^"]*""#, with: "url = \"\(url)\"", options: .regularExpression)
            }
        }
        let server = try TestPostgres.server()
        if let passwordLine {
            try (passwordLine + "\n").write(to: fixture.root.appendingPathComponent("db-password"), atomically: true, encoding: .utf8)
        }
        return (fixture, server)
    }

    @Test("A day on PostgreSQL: the cycle exports, the receipt is found, the trail verifies")
    func day() throws {
        let (bridge, _) = try hostedBridge()
        try """
            H;1;KIOSK-0042;Hovedbiblioteket;1;2026-11-21T14:15:00+01:00
            D;K42-1;2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;40,00;CASH;B-1;
            T;1;40,00

            """.write(to: bridge.inbox.appendingPathComponent("KIOSK-0042_20261121141500_000001.csv"), atomically: true, encoding: .utf8)
        let cycle = bridge.run(["cycle"])
        #expect(cycle.status == 0, "\(cycle.stderr)")
        #expect(cycle.json["payments_exported"] as? Int == 1)
        let receipt = bridge.run(["receipt", "B-1"])
        #expect(receipt.status == 0)
        #expect((receipt.json["matches"] as? [Any])?.count == 1)
        let audit = bridge.run(["audit", "verify"], now: nil)
        #expect(audit.status == 0)
        #expect(audit.json["intact"] as? Bool == true)
    }

    @Test("A wrong password: exit 64, one line naming where the password comes from, not the password")
    func wrongPassword() throws {
        let (bridge, server) = try hostedBridge(passwordLine: "Not-The-Password-99")
        let result = bridge.run(["status"], json: false)
        #expect(result.status == 64)
        #expect(result.stderr.contains("28P01"))
        #expect(result.stderr.contains("password_file"))
        #expect(!result.stderr.contains("Not-The-Password-99"))
        #expect(!result.stderr.contains(server.password ?? "-"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("A database that does not exist, and TLS the server does not offer: exit 64 naming them")
    func wrongPlace() throws {
        try TestBackend.postgres.requireAvailable()
        let server = try TestPostgres.server()
        let missing = "postgresql://\(server.user)@\(server.host):\(server.port)/no_such_database?sslmode=disable"
        let (noDatabase, _) = try hostedBridge(url: missing)
        let first = noDatabase.run(["cycle"], json: false)
        #expect(first.status == 64)
        #expect(first.stderr.contains("no_such_database"))
        let tls = "postgresql://\(server.user)@\(server.host):\(server.port)/\(server.database)?sslmode=require"
        let (noTLS, _) = try hostedBridge(url: tls)
        let second = noTLS.run(["cycle"], json: false)
        #expect(second.status == 64)
        #expect(second.stderr.contains("TLS"))
    }

    @Test("A server that is down: exit 74 naming host and port")
    func serverDown() throws {
        let (bridge, server) = try hostedBridge(url: "postgresql://kioskbridge@127.0.0.1:1/kioskbridge?sslmode=disable")
        _ = server
        let result = bridge.run(["cycle"], json: false)
        #expect(result.status == 74)
        #expect(result.stderr.contains("127.0.0.1:1"))
    }

    @Test("store copy moves an SQLite bridge; audit verify then names the same head on PostgreSQL")
    func storeCopy() throws {
        try TestBackend.postgres.requireAvailable()
        let server = try TestPostgres.server()
        let bridge = try BridgeFixture(backend: .sqlite)
        try """
            H;1;KIOSK-0042;Hovedbiblioteket;1;2026-11-21T14:15:00+01:00
            D;K42-1;2026-11-21T14:02:11+01:00;0101901234;BIBLIOTEKSGEBYR;40,00;CASH;B-1;
            T;1;40,00

            """.write(to: bridge.inbox.appendingPathComponent("KIOSK-0042_20261121141500_000001.csv"), atomically: true, encoding: .utf8)
        #expect(bridge.run(["cycle"]).status == 0)
        let before = bridge.run(["audit", "verify"], now: nil).json["head"] as? [String: Any]
        let schema = TestPostgres.newSchema()
        let passwordFile = bridge.root.appendingPathComponent("db-password")
        try ((server.password ?? "") + "\n").write(to: passwordFile, atomically: true, encoding: .utf8)
        let copy = bridge.run(["store", "copy", "--to", server.configurationURL, "--schema", schema, "--password-file", passwordFile.path],
                              now: nil)
        #expect(copy.status == 0, "\(copy.stderr)")
        var text = try String(contentsOfFile: bridge.config, encoding: .utf8)
        text += "\n[store]\nurl = \"\(server.configurationURL)\"\nschema = \"\(schema)\"\npassword_file = \"db-password\"\n"
        try text.write(toFile: bridge.config, atomically: true, encoding: .utf8)
        let after = bridge.run(["audit", "verify"], now: nil)
        #expect(after.status == 0)
        #expect((after.json["head"] as? [String: Any])?["sha256"] as? String == before?["sha256"] as? String)
        #expect((after.json["head"] as? [String: Any])?["row"] as? Int == before?["row"] as? Int)
    }
}
