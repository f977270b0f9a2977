import Foundation
import StoreTestSupport

/// A killed bridge's connections to PostgreSQL, which the server closes moments after the
/// process dies: until then the lease still counts its holder as present, and a run
/// started at once exits 75 as it should. The tests' reruns come sooner than any cron
/// job's would, so they wait for those moments to pass.
enum KilledBridgeConnections {
    /// Waits, for up to ten seconds, until no connection of process `pid` is left
    /// (its `application_name` names the pid). Does nothing without a test server.
    static func awaitClosed(ofProcess pid: Int32) {
        guard TestBackend.postgresURL != nil, let server = try? TestPostgres.server() else { return }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, remaining(ofProcess: pid, on: server) != 0 {
            usleep(50_000)
        }
    }

    private static func remaining(ofProcess pid: Int32, on server: TestPostgres) -> Int? {
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = ["--no-psqlrc", "--tuples-only", "--no-align", "--host", server.host, "--port", String(server.port),
                          "--username", server.user, "--dbname", server.database, "--command",
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'kioskbridge pid \(pid) %'"]
        psql.environment = ["PGPASSWORD": server.password ?? "", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        psql.standardOutput = output
        psql.standardError = FileHandle.nullDevice
        guard (try? psql.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
