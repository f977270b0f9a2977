import GRDB
import KioskBridgeStore

/// SQLite's result codes in the store's words.
enum SQLiteErrors {
    /// A GRDB error as a ``StoreError``; any other error (the runtime's own, thrown from
    /// inside a session) passes through unchanged.
    static func map(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let message = error.message ?? "\(error.resultCode)"
        let code: StoreError.Code
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: code = .busy
        case .SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_AUTH: code = .unavailable
        case .SQLITE_CONSTRAINT: code = .constraint
        case .SQLITE_CORRUPT, .SQLITE_SCHEMA, .SQLITE_FORMAT, .SQLITE_MISMATCH: code = .corrupt
        case .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_PERM, .SQLITE_READONLY: code = .io
        default: code = .corrupt
        }
        return StoreError(code, message, backend: SQLiteBridgeStore.backend)
    }
}
