import Foundation

extension ConfigurationReader {
    /// `[store]`: absent, the embedded store; present, `url` and `schema` are required. A
    /// password is refused wherever it is written: the file is meant to be shown and kept.
    func hostedStore() throws -> HostedStoreSettings? {
        guard let value = root["store"] else { return nil }
        guard let table = value.table else { throw fail("[store]", "a table", found: value) }
        let secret = "no password in the configuration: put it in the file [store] password_file names, or in PGPASSWORD or ~/.pgpass"
        if table["password"] != nil { throw fail("[store] password", secret) }
        try rejectUnknown(table, in: "[store]", known: ["url", "schema", "password_file", "ca_file", "pooler"])
        guard let url = try string(table, "url", in: "[store]"), !url.isEmpty else {
            throw fail("[store] url", "postgresql://USER@HOST:PORT/DATABASE?sslmode=require (the key is required in [store])")
        }
        if URLComponents(string: url)?.password != nil { throw fail("[store] url", secret + " (the url holds one)") }
        guard let schema = try string(table, "schema", in: "[store]"), !schema.isEmpty else {
            throw fail("[store] schema", "the municipality's schema, e.g. \"kb_0751\" (the key is required in [store])")
        }
        return HostedStoreSettings(
            url: url, schema: schema,
            passwordFile: try string(table, "password_file", in: "[store]").map { ConfigurationLoader.absolute($0, relativeTo: folder) },
            caFile: try string(table, "ca_file", in: "[store]").map { ConfigurationLoader.absolute($0, relativeTo: folder) },
            pooler: try bool(table, "pooler", in: "[store]") ?? false)
    }
}
