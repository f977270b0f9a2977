/// A failure of the store, in the bridge's words.
///
/// Each backend turns its own errors (SQLite result codes, PostgreSQL's SQLSTATE) into one
/// of these codes, so that the runtime decides what to do (exit 74, 75 or 64, retry next
/// cycle) without knowing which database it talks to. The message is the backend's own
/// description, made safe to print: it never holds a password, and a backend never puts
/// a CPR number into it.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String

        /// Another process holds the database and waiting did not help (SQLite's lock, a
        /// PostgreSQL lock timeout or serialization failure).
        public static let busy = Code(name: "busy")
        /// The database cannot be reached: the server is down, the network is gone, the
        /// file cannot be opened.
        public static let unavailable = Code(name: "unavailable")
        /// The configuration does not fit the database: wrong password, no such database or
        /// schema, TLS required but refused, a role without the rights it needs.
        public static let configuration = Code(name: "configuration")
        /// A rule of the schema refused a write (a unique key, a check).
        public static let constraint = Code(name: "constraint")
        /// The database holds something the bridge cannot read: a damaged file, a schema
        /// from a newer version, a row that breaks an invariant.
        public static let corrupt = Code(name: "corrupt")
        /// Reading or writing failed underneath the database (disk full, permission denied).
        public static let io = Code(name: "io")
        /// The write came from a bridge that no longer holds the lease: a newer holder has
        /// taken over, and this one must stop.
        public static let fenced = Code(name: "fenced")

        public var description: String { name }
    }

    public let code: Code
    /// What went wrong, as the backend said it (safe to log).
    public let message: String
    /// Which database said it: "SQLite" or "PostgreSQL".
    public let backend: String

    public init(_ code: Code, _ message: String, backend: String) {
        self.code = code
        self.message = message
        self.backend = backend
    }

    public var description: String {
        switch code {
        case .busy: "the \(backend) database is busy (held by another process): \(message)"
        case .unavailable: "the \(backend) database cannot be reached: \(message)"
        case .configuration: "the \(backend) database does not accept the configuration: \(message)"
        case .fenced: "this bridge no longer holds the lease: \(message)"
        default: "\(backend) error (\(code)): \(message)"
        }
    }
}
