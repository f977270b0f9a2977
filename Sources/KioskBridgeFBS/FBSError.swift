/// Why a call to FBS did not give an answer the bridge can use.
///
/// A code to act on (the runtime lets old-fee parts wait on `timeout` or `serverError`, and
/// must never treat a `malformedAnswer` to a payment as "not registered"), the operation,
/// the HTTP status where there was one, and a message that is safe to log: it never holds
/// a CPR number, a password or a session key, and echoes at most 80 characters of what
/// FBS sent.
public struct FBSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a value to switch on (like postgres-nio's `PSQLError.Code`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable {
            case unreachable
            case timeout
            case serverError
            case loginRefused
            case unauthorizedAfterLogin
            case requestRefused
            case unexpectedStatus
            case malformedAnswer
            case credentialsUnusable
            case invalidConfiguration
            case invalidOrder
            case cancelled
        }

        let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// No connection to FBS: the name does not resolve, nothing listens, the connection broke.
        public static let unreachable = Code(.unreachable)
        /// FBS did not answer within the call's timeout. For a payment the outcome is
        /// unknown: repeating it with the same orderId is safe.
        public static let timeout = Code(.timeout)
        /// FBS answered 5xx.
        public static let serverError = Code(.serverError)
        /// The login was refused (403, or 401 to the login itself): wrong client credentials.
        public static let loginRefused = Code(.loginRefused)
        /// A call answered 401 again right after a fresh login.
        public static let unauthorizedAfterLogin = Code(.unauthorizedAfterLogin)
        /// FBS refused the request (400 or another 4xx).
        public static let requestRefused = Code(.requestRefused)
        /// A status FBS does not document for the call (a redirect, 1xx, 2xx other than 200).
        public static let unexpectedStatus = Code(.unexpectedStatus)
        /// The answer is not what fbs-api.md describes: not JSON, too large, a field missing or wrong.
        public static let malformedAnswer = Code(.malformedAnswer)
        /// The credentials file cannot be used: missing, unreadable, readable by others, not two lines.
        public static let credentialsUnusable = Code(.credentialsUnusable)
        /// The `[fbs]` settings cannot be used (base URL, agency id, timeout).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The payment order cannot be sent (no fees, a fee twice, an unusable orderId).
        public static let invalidOrder = Code(.invalidOrder)
        /// The task that made the call was cancelled (the bridge is stopping).
        public static let cancelled = Code(.cancelled)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// The call that failed; nil for configuration and credentials.
    public let operation: FBSOperation?
    /// FBS's HTTP status, where it answered with one.
    public let httpStatus: Int?
    /// What happened, in a sentence safe to log.
    public let message: String

    public init(_ code: Code, operation: FBSOperation?, httpStatus: Int? = nil, message: String) {
        self.code = code
        self.operation = operation
        self.httpStatus = httpStatus
        self.message = message
    }

    public var description: String {
        guard let operation else { return message }
        return "FBS \(operation): \(message)"
    }
}
