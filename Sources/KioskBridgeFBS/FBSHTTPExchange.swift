import AsyncHTTPClient
import Foundation
import KioskBridgeCore
import NIOCore

/// One HTTP exchange with a deadline over all of it, and what its failures mean.
///
/// AsyncHTTPClient's own deadline ends when the answer's head arrives; a server that sends
/// its head and then trickles or stalls the body would hold a call for ever. So the
/// exchange races a timer, and the loser is cancelled.
enum FBSHTTPExchange {
    /// The timer won.
    struct TimedOut: Error {}

    /// How much longer than AsyncHTTPClient's deadline the timer waits: a tenth of the
    /// timeout, at least 250 ms (its deadline runs on a busy event loop).
    static func grace(_ timeout: Duration) -> Duration {
        max(.milliseconds(250), timeout / 10)
    }

    static func run(_ request: HTTPClientRequest, on http: HTTPClient, timeout: Duration, maximumBytes: Int) async throws -> FBSHTTPAnswer {
        try await withThrowingTaskGroup(of: FBSHTTPAnswer.self) { group in
            group.addTask {
                let response = try await http.execute(request, timeout: TimeAmount(timeout))
                let body = try await response.body.collect(upTo: maximumBytes)
                return FBSHTTPAnswer(status: Int(response.status.code), body: Array(buffer: body))
            }
            group.addTask {
                // A little after AsyncHTTPClient's own deadline, so that a call still
                // connecting fails with its connection error (refused, no route) rather
                // than a bare timeout.
                try await Task.sleep(for: timeout + grace(timeout))
                throw TimedOut()
            }
            defer { group.cancelAll() }
            guard let answer = try await group.next() else { throw TimedOut() }
            return answer
        }
    }

    /// The ``FBSError`` a failed exchange stands for. The underlying error is named by its
    /// kind only where it cannot hold anything of the request.
    static func classify(_ error: any Error, operation: FBSOperation, configuration: FBSConfiguration) -> FBSError {
        let outcome = operation == .registerPayment ? "; whether FBS registered the payment is unknown, and repeating the order is safe" : ""
        if error is TimedOut {
            return FBSError(.timeout, operation: operation, message: "no answer from FBS within \(configuration.timeout)\(outcome)")
        }
        if let http = error as? HTTPClientError {
            switch http {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return FBSError(.timeout, operation: operation, message: "no answer from FBS within \(configuration.timeout) (\(http))\(outcome)")
            case .cancelled where Task.isCancelled:
                return cancelled(operation)
            default:
                return unreachable(operation, configuration, "\(http)", outcome)
            }
        }
        if error is CancellationError { return cancelled(operation) }
        if error is NIOTooManyBytesError {
            return FBSError(.malformedAnswer, operation: operation,
                            message: "the answer is larger than \(FBSHTTPClient.maximumAnswerBytes) bytes\(outcome)")
        }
        let detail = AnswerText.cut(PersonalDataRedaction.redactCPRs(in: String(describing: error)))
        return unreachable(operation, configuration, detail, outcome)
    }

    static func cancelled(_ operation: FBSOperation) -> FBSError {
        FBSError(.cancelled, operation: operation, message: "the call was cancelled (the bridge is stopping)")
    }

    static func unreachable(_ operation: FBSOperation, _ configuration: FBSConfiguration, _ detail: String, _ outcome: String) -> FBSError {
        FBSError(.unreachable, operation: operation, message: "no connection to FBS at \(configuration.baseURL) (\(detail))\(outcome)")
    }
}
