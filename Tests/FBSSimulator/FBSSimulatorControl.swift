import Foundation
import Hummingbird
import NIOCore

/// `/_simulator/...`: what a shell script (the crash soak) needs of the simulator while
/// the bridge runs against it: read the registrations, arm and clear faults, expire
/// sessions, refuse logins, and change a fee behind the bridge's back. Not part of FBS.
///
/// | request | body | effect |
/// | --- | --- | --- |
/// | `GET /_simulator/registrations` | | `{"registrations": {"1001": 1}, "paid": {"1001": {"orderId": ..., "confirmationId": ...}}, "calls": {"login": 2, ...}}` |
/// | `POST /_simulator/faults` | `{"operation": "registerPayment", "fault": "answerLost", "times": 1}` | arms a fault; `fault` is `noAnswer`, `answerLost`, `tricklingBody`, `serverError` (`status`), `slowAnswer` (`milliseconds`), `unauthorized`, `redirect` (to `body`) or `rawAnswer` (`status`, `body`); for the next `times` calls (default 1), or all until cleared with `"untilCleared": true` |
/// | `DELETE /_simulator/faults` | | clears all faults |
/// | `POST /_simulator/sessions/expire` | `{}` or `{"afterCalls": 3}` | expires the session keys now or after that many calls |
/// | `POST /_simulator/logins` | `{"refuse": true}` | refuses (or again accepts) every login with 403 |
/// | `POST /_simulator/fees/{feeId}/paid-elsewhere` | | the fee is paid by another order |
/// | `POST /_simulator/fees/{feeId}/to-debtor` | | the fee is no longer payable by a client |
/// | `POST /_simulator/fees/{feeId}/status` | `{"status": "paymentPending"}` | the fee's payments answer this status |
struct FBSSimulatorControl: Sendable {
    let state: FBSSimulatorState

    struct FaultBody: Decodable {
        let operation: FBSSimulatorOperation
        let fault: String
        let times: Int?
        let untilCleared: Bool?
        let milliseconds: Int?
        let status: Int?
        let body: String?
    }

    struct ExpireBody: Decodable {
        let afterCalls: Int?
    }

    struct LoginsBody: Decodable {
        let refuse: Bool
    }

    struct StatusBody: Decodable {
        let status: String
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/_simulator/registrations") { _, _ in registrations() }
        router.post("/_simulator/faults") { request, _ in
            let body = try await decoded(FaultBody.self, request)
            guard let fault = Self.fault(body) else { return FBSSimulatorJSON.response(.badRequest, "{\"message\":\"unknown fault\"}") }
            state.inject(fault, on: body.operation, times: body.untilCleared == true ? nil : body.times ?? 1)
            return Response(status: .noContent)
        }
        router.delete("/_simulator/faults") { _, _ in
            state.clearFaults()
            return Response(status: .noContent)
        }
        router.post("/_simulator/sessions/expire") { request, _ in
            let body = try await decoded(ExpireBody.self, request)
            if let calls = body.afterCalls { state.expireSessions(afterCalls: calls) } else { state.expireSessions() }
            return Response(status: .noContent)
        }
        router.post("/_simulator/logins") { request, _ in
            state.refuseLogins(try await decoded(LoginsBody.self, request).refuse)
            return Response(status: .noContent)
        }
        router.post("/_simulator/fees/{fee}/paid-elsewhere") { _, context in
            try state.payElsewhere(feeID: feeID(context))
            return Response(status: .noContent)
        }
        router.post("/_simulator/fees/{fee}/to-debtor") { _, context in
            try state.handToDebtor(feeID: feeID(context))
            return Response(status: .noContent)
        }
        router.post("/_simulator/fees/{fee}/status") { request, context in
            state.answer(status: try await decoded(StatusBody.self, request).status, forFee: try feeID(context))
            return Response(status: .noContent)
        }
    }

    static func fault(_ body: FaultBody) -> FBSSimulatorFault? {
        switch body.fault {
        case "noAnswer": .noAnswer
        case "answerLost": .answerLost
        case "tricklingBody": .tricklingBody
        case "serverError": .serverError(status: body.status ?? 500)
        case "slowAnswer": .slowAnswer(.milliseconds(body.milliseconds ?? 1000))
        case "unauthorized": .unauthorized
        case "rawAnswer": .rawAnswer(status: body.status ?? 200, body: body.body ?? "")
        case "redirect": .redirect(location: body.body ?? "/")
        default: nil
        }
    }

    func registrations() -> Response {
        let registrations = state.registrations.map { "\(FBSSimulatorJSON.string(String($0.key))):\($0.value)" }
        let paid = state.paidOrders.map {
            "\(FBSSimulatorJSON.string(String($0.key))):{\"orderId\":\(FBSSimulatorJSON.string($0.value.orderID)),"
                + "\"confirmationId\":\(FBSSimulatorJSON.string($0.value.confirmationID))}"
        }
        let calls = FBSSimulatorOperation.allCases.map { "\(FBSSimulatorJSON.string($0.rawValue)):\(state.calls(of: $0))" }
        return FBSSimulatorJSON.response(.ok, "{\"registrations\":{\(registrations.joined(separator: ","))},"
            + "\"paid\":{\(paid.joined(separator: ","))},\"calls\":{\(calls.joined(separator: ","))}}")
    }

    func decoded<Body: Decodable>(_ type: Body.Type, _ request: Request) async throws -> Body {
        let bytes = try await request.body.collect(upTo: 65_536)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer: bytes.readableBytes == 0 ? ByteBuffer(string: "{}") : bytes))
        } catch {
            throw HTTPError(.badRequest, message: "the body does not fit \(Body.self)")
        }
    }

    func feeID(_ context: BasicRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("fee").flatMap({ Int64($0) }) else { throw HTTPError(.badRequest, message: "not a fee id") }
        return id
    }
}
