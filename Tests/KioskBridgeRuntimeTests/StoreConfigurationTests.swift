import Foundation
import Testing
import KioskBridgeRuntime

/// cli.md `[store]`: absent, the embedded SQLite store; present, a PostgreSQL schema. A
/// password never belongs in the configuration.
@Suite("[store] in the configuration")
struct StoreConfigurationTests {
    let path = "/etc/kioskbridge/kb_0751/kioskbridge.toml"

    func load(_ store: String) throws -> BridgeConfiguration {
        try ConfigurationLoader.parse(text: "[claim_types]\nBIBLIOTEKSGEBYR = \"BIBGEBYR\"\n" + store, path: path)
    }

    func refusal(_ store: String) -> String? {
        do {
            _ = try load(store)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test("Without [store] the bridge keeps SQLite at [paths] database")
    func absent() throws {
        let configuration = try load("")
        #expect(configuration.store == nil)
        #expect(try load("[store]\nurl = \"postgresql://kb@db.example/kioskbridge\"\nschema = \"kb_0751\"").store?.pooler == false)
        #expect(configuration.paths.database == "/etc/kioskbridge/kb_0751/kioskbridge.sqlite")
    }

    @Test("[store] names the URL and schema; password_file and ca_file are relative to the configuration's folder; pooler is off unless set")
    func present() throws {
        let configuration = try load("""
            [store]
            url = "postgresql://kb_0751@db.example:5432/kioskbridge?sslmode=verify-full"
            schema = "kb_0751"
            password_file = "db-password"
            ca_file = "/etc/ssl/certs/db-ca.pem"
            pooler = true
            """)
        let store = try #require(configuration.store)
        #expect(store.pooler)
        #expect(store.url == "postgresql://kb_0751@db.example:5432/kioskbridge?sslmode=verify-full")
        #expect(store.schema == "kb_0751")
        #expect(store.passwordFile == "/etc/kioskbridge/kb_0751/db-password")
        #expect(store.caFile == "/etc/ssl/certs/db-ca.pem")
    }

    @Test("A password in [store] is refused without being repeated, whether as a key or in the URL")
    func noPassword() {
        let key = refusal("""
            [store]
            url = "postgresql://kb@db.example/kioskbridge"
            schema = "kb_0751"
            password = "Tr0ub4dor&3"
            """)
        #expect(key?.contains("[store] password") == true)
        #expect(key?.contains("password_file") == true)
        #expect(key?.contains("Tr0ub4dor") == false)
        let inURL = refusal("""
            [store]
            url = "postgresql://kb:Tr0ub4dor@db.example/kioskbridge"
            schema = "kb_0751"
            """)
        #expect(inURL?.contains("[store] url") == true)
        #expect(inURL?.contains("Tr0ub4dor") == false)
    }

    @Test("[store] without its url or schema, or with an unknown key, is refused naming the key")
    func incomplete() {
        #expect(refusal("[store]\nschema = \"kb_0751\"\n")?.contains("[store] url") == true)
        #expect(refusal("[store]\nurl = \"postgresql://kb@db/kb\"\n")?.contains("[store] schema") == true)
        #expect(refusal("[store]\nurl = \"postgresql://kb@db/kb\"\nschema = \"kb\"\nsslmode = \"require\"\n")?.contains("sslmode") == true)
    }
}
