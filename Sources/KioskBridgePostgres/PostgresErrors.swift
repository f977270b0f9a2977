import Foundation
import KioskBridgeCore
import KioskBridgeStore
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// PostgreSQL's errors in the store's words.
///
/// The message is built from the server's own sentence and its SQLSTATE only, never from
/// its DETAIL or CONTEXT (which quote the values of a row: a CPR number), and with any CPR
/// number the sentence might still hold masked. A password never reaches the server's
/// messages, and nothing here reads one.
enum PostgresErrors {
    /// `error` as a ``StoreError``; the runtime's own errors thrown from inside a session
    /// pass through unchanged.
    static func map(_ error: any Error, _ settings: PostgresSettings) -> any Error {
        switch error {
        case let error as StoreError: return error
        case let error as PSQLError: return map(error, settings)
        case let error as PostgresDecodingError:
            return StoreError(.corrupt, "column \(error.columnName) holds a \(error.postgresType) the bridge cannot read as \(error.targetType)",
                              backend: PostgresBridgeStore.backend)
        case let error as NIOConnectionError: return unreachable(settings, error.connectionErrors.first.map { "\($0.error)" } ?? "connection failed")
        case let error as IOError: return unreachable(settings, error.description)
        case let error as ChannelError: return unreachable(settings, "\(error)")
        default: return error
        }
    }

    private static func map(_ error: PSQLError, _ settings: PostgresSettings) -> StoreError {
        if let info = error.serverInfo, let state = info[.sqlState] {
            let said = PersonalDataRedaction.redactCPRs(in: info[.message] ?? "error")
            let (code, fix) = classify(state: state, settings)
            return StoreError(code, "\(said) (SQLSTATE \(state))" + (fix.map { ": \($0)" } ?? ""), backend: PostgresBridgeStore.backend)
        }
        switch error.code {
        case .sslUnsupported:
            return StoreError(.configuration, "the server at \(settings.host):\(settings.port) does not offer TLS, but [store] url asks for sslmode=\(settings.tls.rawValue): enable ssl on the server, or set sslmode=disable on a trusted network",
                              backend: PostgresBridgeStore.backend)
        case .failedToAddSSLHandler:
            return StoreError(.configuration, "TLS could not be set up for \(settings.host): check [store] ca_file", backend: PostgresBridgeStore.backend)
        case .authMechanismRequiresPassword:
            return StoreError(.configuration, "the server asks user \(settings.user) for a password and none was found: put it in [store] password_file, PGPASSWORD or ~/.pgpass",
                              backend: PostgresBridgeStore.backend)
        case .unsupportedAuthMechanism, .saslError:
            return StoreError(.configuration, "the server wants a way of logging in the bridge cannot offer, or refused the password of user \(settings.user) (use scram-sha-256 in pg_hba.conf)",
                              backend: PostgresBridgeStore.backend)
        case .connectionError:
            if let underlying = error.underlying, isTLSFailure(underlying) {
                return StoreError(.configuration, "the server's TLS certificate was refused for \(settings.host) (\(underlying)): check [store] ca_file and that the host name in [store] url is the one in the certificate",
                                  backend: PostgresBridgeStore.backend)
            }
            return unreachable(settings, error.underlying.map(describe) ?? "connection failed")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed:
            return unreachable(settings, "the connection was closed (\(error.code))")
        case .queryCancelled:
            return StoreError(.busy, "the statement was cancelled", backend: PostgresBridgeStore.backend)
        default:
            if let underlying = error.underlying, isTLSFailure(underlying) {
                return StoreError(.configuration, "TLS failed with \(settings.host) (\(underlying)): check [store] ca_file and sslmode",
                                  backend: PostgresBridgeStore.backend)
            }
            return StoreError(.corrupt, "the connection failed (\(error.code))", backend: PostgresBridgeStore.backend)
        }
    }

    private static func unreachable(_ settings: PostgresSettings, _ why: String) -> StoreError {
        StoreError(.unavailable, "cannot connect to \(settings.host):\(settings.port) (\(why)): is the server running and reachable?",
                   backend: PostgresBridgeStore.backend)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.first.map { "\($0.error)" } ?? "connection failed"
        }
        return "\(error)"
    }

    private static func isTLSFailure(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// The store's code for a SQLSTATE, and what an operator should do about it.
    static func classify(state: String, _ settings: PostgresSettings) -> (StoreError.Code, String?) {
        switch state {
        case "28P01":
            return (.configuration, "check the password of user \(settings.user) in [store] password_file, PGPASSWORD or ~/.pgpass")
        case "28000":
            return (.configuration, "the server does not let user \(settings.user) in from here (pg_hba.conf), or the user name in [store] url is wrong")
        case "3D000":
            return (.configuration, "check the database name in [store] url, or create the database")
        case "3F000":
            return (.configuration, "check [store] schema, or create the schema")
        case "42501":
            return (.configuration, "user \(settings.user) lacks a right the bridge needs: it must own schema \(settings.schema) (CREATE SCHEMA \(settings.schema) AUTHORIZATION \(settings.user)), or may create schemas in database \(settings.database)")
        case "53300":
            return (.unavailable, "the server has no connection slots left")
        case "57P01", "57P02", "57P03":
            return (.unavailable, "the server is shutting down or starting up")
        case "40001", "40P01":
            return (.busy, "another session changed the same rows; the next cycle tries again")
        case "55P03":
            return (.busy, "another session held a lock longer than the lock timeout")
        case "57014":
            return (.busy, "a statement ran longer than the statement timeout (waiting for another session's lock, perhaps of a bridge paused in the middle of a statement); the next cycle tries again")
        case "25006":
            return (.configuration, "the server is read-only (a standby): point [store] url at the primary")
        case "25P03":
            // The bridge's transactions may sit idle no longer than its lease: this one was
            // paused (or cut off) past it, and another bridge may hold the lease by now.
            return (.fenced, "this bridge's transaction sat idle longer than [lease] seconds (paused, or cut off) and the server ended it; another bridge may hold the lease now")
        default:
            break
        }
        switch state.prefix(2) {
        case "08": return (.unavailable, nil)
        case "23": return (.constraint, nil)
        case "53": return (.io, "the server is out of disk, memory or another resource")
        case "58": return (.io, nil)
        case "XX": return (.corrupt, nil)
        default: return (.corrupt, nil)
        }
    }
}
