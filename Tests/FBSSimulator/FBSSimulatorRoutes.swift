import Foundation
import Hummingbird
import NIOCore

/// The four operations of fbs-api.md under `/rest`, with FBS's rules from
/// ``FBSSimulatorState`` and the armed faults applied before them.
struct FBSSimulatorRoutes: Sendable {
    let state: FBSSimulatorState
    /// How long a request that gets no answer is held at most.
    let holdLimit: Duration

    func add(to router: Router<BasicRequestContext>) {
        router.post("/rest/external/v1/{agency}/authentication/login") { request, context in
            try await serve(.login, request, context) { try await login(request) }
        }
        router.post("/rest/external/{agency}/patrons/preauthenticated/v10") { request, context in
            try await serve(.findPatron, request, context) { try await patron(request) }
        }
        router.get("/rest/external/{agency}/patron/{patron}/fees/v2") { request, context in
            try await serve(.listFees, request, context) { fees(request, context) }
        }
        router.post("/rest/external/{agency}/patron/{patron}/payment/v2") { request, context in
            try await serve(.registerPayment, request, context) { try await payment(request, context) }
        }
    }

    /// Counts the call, applies its fault, checks the agency and (but for the login) the session key.
    func serve(_ operation: FBSSimulatorOperation, _ request: Request, _ context: BasicRequestContext,
               _ work: () async throws -> Response) async throws -> Response {
        let fault = state.arrived(operation, target: "\(request.method) \(request.uri)")
        func checkedWork() async throws -> Response {
            guard context.parameters.get("agency") == state.agencyID else { return refused("unknown agency") }
            if operation != .login, !state.authorize(request.headers.first(where: { $0.name.canonicalName == "x-session" })?.value) {
                return Response(status: .unauthorized)
            }
            return try await work()
        }
        switch fault {
        case nil:
            return try await checkedWork()
        case .noAnswer:
            await hold()
            return Response(status: .serviceUnavailable)
        case .answerLost:
            _ = try await checkedWork()
            await hold()
            return Response(status: .serviceUnavailable)
        case .tricklingBody:
            _ = try await checkedWork()
            let holding = self
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "["))
                try await holding.hold(every: .milliseconds(100)) { try await writer.write(ByteBuffer(string: " ")) }
                try await writer.write(ByteBuffer(string: "]"))
                try await writer.finish(nil)
            })
        case .serverError(let status):
            return FBSSimulatorJSON.response(.init(code: status), "{\"message\":\"simulated server error\"}")
        case .slowAnswer(let delay):
            let response = try await checkedWork()
            try await Task.sleep(for: delay)
            return response
        case .unauthorized:
            return Response(status: .unauthorized)
        case .redirect(let location):
            return Response(status: .temporaryRedirect, headers: [.location: location])
        case .rawAnswer(let status, let body):
            return FBSSimulatorJSON.response(.init(code: status), body)
        }
    }

    /// Waits until the simulator releases held requests, or at most `holdLimit`.
    func hold() async {
        try? await hold(every: .milliseconds(20)) {}
    }

    /// Waits like ``hold()``, doing `tick` at each interval.
    func hold(every interval: Duration, _ tick: () async throws -> Void) async throws {
        let end = ContinuousClock.now + holdLimit
        while !state.isReleased, ContinuousClock.now < end, !Task.isCancelled {
            try await Task.sleep(for: interval)
            try await tick()
        }
    }

    func refused(_ message: String) -> Response {
        FBSSimulatorJSON.response(.badRequest, "{\"message\":\(FBSSimulatorJSON.string(message))}")
    }

    // MARK: The operations

    struct LoginBody: Decodable {
        let username: String
        let password: String
    }

    func login(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 65_536)
        guard let credentials = try? JSONDecoder().decode(LoginBody.self, from: Data(buffer: body)) else {
            return refused("expected {\"username\": ..., \"password\": ...}")
        }
        guard let key = state.login(username: credentials.username, password: credentials.password) else {
            return FBSSimulatorJSON.response(.forbidden, "{\"message\":\"wrong credentials\"}")
        }
        return FBSSimulatorJSON.response(.ok, "{\"sessionKey\":\(FBSSimulatorJSON.string(key))}")
    }

    /// The CPR number arrives as raw text, ten digits, not JSON-quoted.
    func patron(_ request: Request) async throws -> Response {
        let body = String(buffer: try await request.body.collect(upTo: 1024))
        guard body.utf8.count == 10, body.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            return refused("expected the CPR number as raw text")
        }
        guard let patron = state.patron(cpr: body) else {
            return FBSSimulatorJSON.response(.ok, "{\"authenticateStatus\":\"INVALID\"}")
        }
        return FBSSimulatorJSON.response(.ok, "{\"authenticateStatus\":\(FBSSimulatorJSON.string(patron.status)),"
            + "\"patronId\":\(patron.patronID),\"patronType\":\(FBSSimulatorJSON.string(patron.patronType))}")
    }

    func fees(_ request: Request, _ context: BasicRequestContext) -> Response {
        guard let patronID = context.parameters.get("patron").flatMap({ Int64($0) }), state.knowsPatron(patronID) else {
            return refused("unknown patron")
        }
        let query = request.uri.queryParameters
        let fees = state.fees(of: patronID, includePaid: query["includepaid"] == "true",
                              includeNonPayable: query["includenonpayable"] == "true")
        return FBSSimulatorJSON.response(.ok, "[" + fees.map(FBSSimulatorJSON.fee).joined(separator: ",") + "]")
    }

    struct PaymentBody: Decodable {
        let orderId: String
        let feeIds: [Int64]
    }

    func payment(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let patronID = context.parameters.get("patron").flatMap({ Int64($0) }), state.knowsPatron(patronID) else {
            return refused("unknown patron")
        }
        let body = try await request.body.collect(upTo: 65_536)
        guard let order = try? JSONDecoder().decode(PaymentBody.self, from: Data(buffer: body)), !order.orderId.isEmpty,
              !order.feeIds.isEmpty, Set(order.feeIds).count == order.feeIds.count else {
            return refused("expected {\"orderId\": ..., \"feeIds\": [...]} with each fee once")
        }
        guard let confirmations = state.pay(patronID: patronID, orderID: order.orderId, feeIDs: order.feeIds) else {
            return refused("a fee of the order is not the patron's")
        }
        let items = confirmations.map { FBSSimulatorJSON.confirmation($0, orderID: order.orderId) }
        return FBSSimulatorJSON.response(.ok, "[" + items.joined(separator: ",") + "]")
    }
}
