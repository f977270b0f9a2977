import AsyncHTTPClient
import Foundation
import KioskBridgeCore
import Logging
import NIOCore
import NIOHTTP1

/// ``FBSService`` over FBS's external REST API (fbs-api.md), with AsyncHTTPClient.
///
/// Logs in on the first call and keeps the session key; a call answered 401 logs in again
/// and is repeated once (a payment safely so: its orderId makes the repeat idempotent).
/// Every HTTP exchange, from connecting to the last byte of the answer, must finish within
/// the configured timeout. Nothing else is retried: waiting for the next cycle is the
/// caller's decision. Redirects are not followed (the body may hold a CPR number).
///
/// Logs name the operation, FBS's status and the time taken; never a CPR number, the
/// password or a session key. Call ``shutdown()`` when done, or use ``withClient(configuration:credentials:logger:_:)``.
public final class FBSHTTPClient: FBSService {
    /// The largest answer read; a patron's fees with their materials are a few kilobytes,
    /// and a thousand fees well under a megabyte.
    public static let maximumAnswerBytes = 4 * 1024 * 1024

    public let configuration: FBSConfiguration
    let credentials: FBSCredentials
    let http: HTTPClient
    let session = FBSSession()
    let logger: Logger

    public init(configuration: FBSConfiguration, credentials: FBSCredentials, logger: Logger) {
        self.configuration = configuration
        self.credentials = credentials
        self.logger = logger
        let timeout = TimeAmount(configuration.timeout)
        var settings = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout), decompression: .disabled)
        settings.connectionPool = .init(idleTimeout: .seconds(60))
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }

    /// Reads the credentials from `configuration.credentialsFile` (``FBSCredentials/read(from:)``).
    public convenience init(configuration: FBSConfiguration, logger: Logger) throws(FBSError) {
        self.init(configuration: configuration, credentials: try FBSCredentials.read(from: configuration.credentialsFile), logger: logger)
    }

    /// Closes the connections. The client cannot be used afterwards.
    public func shutdown() async {
        do {
            try await http.shutdown()
        } catch {
            logger.debug("FBS client shut down uncleanly", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// A client for the duration of `body`, shut down afterwards whatever happens.
    public static func withClient<Result: Sendable>(
        configuration: FBSConfiguration, credentials: FBSCredentials, logger: Logger,
        _ body: (FBSHTTPClient) async throws -> Result
    ) async throws -> Result {
        let client = FBSHTTPClient(configuration: configuration, credentials: credentials, logger: logger)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    // MARK: The operations

    public func findPatron(cpr: CPRNumber) async throws(FBSError) -> FBSPatron? {
        // The CPR number goes as raw text in the body, as FBS's own clients send it.
        let answer = try await call(.findPatron, .POST, "/external/\(configuration.agencyID)/patrons/preauthenticated/v10",
                                    body: Array(cpr.digits.utf8), cpr: cpr)
        return try PatronAnswer.patron(from: answer, cpr: cpr)
    }

    public func unpaidFees(of patron: FBSPatronID) async throws(FBSError) -> [FBSFee] {
        let path = "/external/\(configuration.agencyID)/patron/\(patron.value)/fees/v2?includepaid=false&includenonpayable=true"
        return try FeesAnswer.fees(from: try await call(.listFees, .GET, path, body: nil))
    }

    public func registerPayment(_ order: FBSPaymentOrder, for patron: FBSPatronID) async throws(FBSError) -> [FBSPaymentResult] {
        let body = try FBSRequestBody.payment(order)
        let answer = try await call(.registerPayment, .POST, "/external/\(configuration.agencyID)/patron/\(patron.value)/payment/v2", body: body)
        return try PaymentAnswer.results(from: answer, order: order)
    }

    // MARK: Session

    /// An authenticated call: with the session key, and on a 401 once more after a new login.
    func call(_ operation: FBSOperation, _ method: HTTPMethod, _ path: String, body: [UInt8]?, cpr: CPRNumber? = nil) async throws(FBSError) -> [UInt8] {
        let login: FBSSession.Login = { [self] in await self.login() }
        var key = try await session.key(login)
        var answer = try await exchange(operation, method, path, body: body, sessionKey: key.value)
        if answer.status == 401 {
            logger.notice("FBS session expired; logging in again", metadata: ["fbs.operation": "\(operation.rawValue)"])
            key = try await session.renewed(after: key, login)
            answer = try await exchange(operation, method, path, body: body, sessionKey: key.value)
            if answer.status == 401 {
                throw FBSError(.unauthorizedAfterLogin, operation: operation, httpStatus: 401,
                               message: "FBS answered 401 again right after a new login: the client system may lack the right to this call")
            }
        }
        return try answer.accepted(operation, echo: answerEcho(operation, cpr: cpr, sessionKey: key.value))
    }

    /// Logs in with the client's credentials and returns the new session key.
    func login() async -> Result<String, FBSError> {
        do throws(FBSError) {
            let body = try FBSRequestBody.login(credentials)
            let answer = try await exchange(.login, .POST, "/external/v1/\(configuration.agencyID)/authentication/login", body: body, sessionKey: nil)
            if answer.status == 401 || answer.status == 403 {
                throw FBSError(.loginRefused, operation: .login, httpStatus: answer.status,
                               message: "FBS refused the login of \(credentials.username) (\(answer.status)): check the credentials file")
            }
            let key = try LoginAnswer.sessionKey(from: try answer.accepted(.login, echo: { _ in nil }))
            logger.info("logged in to FBS", metadata: ["fbs.user": "\(credentials.username)"])
            return .success(key)
        } catch {
            return .failure(error)
        }
    }

    /// How a refusal's body may be quoted in an error: never for the login (it may repeat
    /// the credentials), otherwise with the CPR number and the session key taken out.
    func answerEcho(_ operation: FBSOperation, cpr: CPRNumber?, sessionKey: String) -> @Sendable ([UInt8]) -> String? {
        { bytes in
            guard operation != .login, !bytes.isEmpty else { return nil }
            let text = String(decoding: bytes.prefix(4096), as: UTF8.self).replacing(sessionKey, with: "(session key)")
            return AnswerText.echo(text, hiding: cpr)
        }
    }

    // MARK: HTTP

    /// One HTTP exchange, bounded as a whole by the configured timeout.
    func exchange(_ operation: FBSOperation, _ method: HTTPMethod, _ path: String, body: [UInt8]?, sessionKey: String?) async throws(FBSError) -> FBSHTTPAnswer {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "kioskbridge")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        if let sessionKey { request.headers.add(name: "X-Session", value: sessionKey) }
        let started = ContinuousClock.now
        do {
            let answer = try await FBSHTTPExchange.run(request, on: http, timeout: configuration.timeout, maximumBytes: Self.maximumAnswerBytes)
            let milliseconds = Int(((ContinuousClock.now - started) / .milliseconds(1)).rounded())
            logger.debug("FBS answered", metadata: [
                "fbs.operation": "\(operation.rawValue)", "fbs.status": "\(answer.status)", "fbs.ms": "\(milliseconds)"])
            return answer
        } catch {
            let failure = FBSHTTPExchange.classify(error, operation: operation, configuration: configuration)
            logger.debug("FBS call failed", metadata: ["fbs.operation": "\(operation.rawValue)", "fbs.error": "\(failure.code)"])
            throw failure
        }
    }
}
