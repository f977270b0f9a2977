/// The four calls of fbs-api.md, as the simulator counts them and faults name them.
public enum FBSSimulatorOperation: String, Codable, Sendable, CaseIterable {
    case login
    case findPatron
    case listFees
    case registerPayment
}

/// What can go wrong between the bridge and FBS, switched on per operation by a test or
/// through the control endpoint.
public enum FBSSimulatorFault: Sendable, Equatable {
    /// The request is taken and never answered (the client's timeout must end the call).
    case noAnswer
    /// The request is carried out (a payment is registered) and its answer is lost.
    case answerLost
    /// The request is carried out, the answer's head sent, and then a space every 100 ms
    /// until the request is released: no read timeout fires, only a deadline over the whole call ends it.
    case tricklingBody
    /// An HTTP 5xx without doing anything.
    case serverError(status: Int)
    /// The request is carried out and answered after this long.
    case slowAnswer(Duration)
    /// 401, as if the session key had expired, without expiring it.
    case unauthorized
    /// 307 to `location` (a client must not follow it with a CPR number in the body).
    case redirect(location: String)
    /// This status and body instead of the real answer (hostile or broken answers).
    case rawAnswer(status: Int, body: String)
}
