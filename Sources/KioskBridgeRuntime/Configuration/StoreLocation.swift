/// `[store]`: a hosted store instead of the embedded SQLite file at `[paths] database`
/// (hosting.md). The runtime only carries these settings to the executable, which opens
/// the backend they name; the password is never among them.
public struct HostedStoreSettings: Sendable, Hashable {
    /// `postgresql://USER@HOST:PORT/DATABASE?sslmode=...`, without a password.
    public var url: String
    /// The municipality's schema.
    public var schema: String
    /// Absolute path of the file whose first line is the password; nil: `PGPASSWORD`, then `~/.pgpass`.
    public var passwordFile: String?
    /// Absolute path of the CA certificate (PEM) for `sslmode=verify-full`.
    public var caFile: String?
    /// `pooler = true`: a connection pooler stands between the bridges and the server.
    public var pooler: Bool

    public init(url: String, schema: String, passwordFile: String? = nil, caFile: String? = nil, pooler: Bool = false) {
        self.url = url
        self.schema = schema
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.pooler = pooler
    }
}
