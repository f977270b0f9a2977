import AsyncHTTPClient
import FBSSimulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing
@testable import KioskBridgeFBS

/// The control endpoint a script uses (the crash soak): faults armed over HTTP take
/// effect, and the registrations can be read back as JSON.
@Suite struct FBSSimulatorControlTests {
    static func send(_ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: bytes))
    }

    @Test func faultsArmedOverHTTPTakeEffectAndRegistrationsAreReadBack() async throws {
        try await FBSFixture.run { client, simulator in
            let control = "http://127.0.0.1:\(simulator.port)/_simulator"
            #expect(try await Self.send(.POST, control + "/faults", #"{"operation":"listFees","fault":"serverError","status":503,"times":1}"#).0 == 204)
            #expect(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) }?.httpStatus == 503)
            #expect(try await client.unpaidFees(of: FBSFixture.patron).count == 4)

            #expect(try await Self.send(.POST, control + "/fees/1001/paid-elsewhere").0 == 204)
            #expect(try await Self.send(.POST, control + "/fees/1003/status", #"{"status":"paymentPending"}"#).0 == 204)
            let results = try await client.registerPayment(try FBSPaymentOrder(orderID: "o-1", feeIDs: [1001, 1002, 1003]), for: FBSFixture.patron)
            #expect(results.map(\.status)[0] == .registeredByDifferentOrder)
            #expect(results.map(\.status)[2] == .unknown("paymentPending"))

            let (status, body) = try await Self.send(.GET, control + "/registrations")
            #expect(status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            #expect(json["registrations"] as? [String: Int] == ["1002": 1])
            let paid = try #require(json["paid"] as? [String: [String: String]])
            #expect(paid["1002"]?["orderId"] == "o-1")
            #expect((json["calls"] as? [String: Int])?["listFees"] == 2)

            #expect(try await Self.send(.POST, control + "/sessions/expire", "{}").0 == 204)
            #expect(try await client.unpaidFees(of: FBSFixture.patron).count == 2)
            #expect(simulator.state.calls(of: .login) == 2)

            #expect(try await Self.send(.POST, control + "/faults", #"{"operation":"listFees","fault":"sideways"}"#).0 == 400)
        }
    }
}
