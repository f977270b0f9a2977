/// FBS's status and the answer's bytes, before they are judged.
struct FBSHTTPAnswer: Sendable {
    let status: Int
    let body: [UInt8]

    /// The body of a 200, or the error its status stands for. `echo` says how much of a
    /// refusal's body an error may quote.
    func accepted(_ operation: FBSOperation, echo: ([UInt8]) -> String?) throws(FBSError) -> [UInt8] {
        let quoted = echo(body).map { ": \($0)" } ?? ""
        switch status {
        case 200:
            return body
        case 500...599:
            throw FBSError(.serverError, operation: operation, httpStatus: status, message: "FBS answered \(status), a server error\(quoted)")
        case 400...499:
            throw FBSError(.requestRefused, operation: operation, httpStatus: status, message: "FBS refused the request with \(status)\(quoted)")
        default:
            throw FBSError(.unexpectedStatus, operation: operation, httpStatus: status,
                           message: "FBS answered \(status), which fbs-api.md does not describe for this call")
        }
    }
}
