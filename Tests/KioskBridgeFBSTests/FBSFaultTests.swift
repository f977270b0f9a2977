import FBSSimulator
import Testing
@testable import KioskBridgeFBS

/// What the client does when FBS is slow, down or broken: it fails the one call with a
/// code the runtime can act on, and never repeats it by itself.
@Suite struct FBSFaultTests {
    @Test func noAnswerWithinTheTimeoutIsATimeout() async throws {
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout) { client, simulator in
            simulator.state.inject(.noAnswer, on: .listFees)
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .timeout)
            #expect(error.operation == .listFees)
            #expect(simulator.state.calls(of: .listFees) == 1)
            #expect(try await FBSFixture.patient(simulator) { try await $0.unpaidFees(of: FBSFixture.patron) }.count == 4)
        }
    }

    @Test func anAnswerThatTricklesInBeyondTheTimeoutIsATimeout() async throws {
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout) { client, simulator in
            simulator.state.inject(.tricklingBody, on: .listFees)
            let started = ContinuousClock.now
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .timeout)
            // The simulator trickles for a minute; only the deadline over the whole call ends it sooner.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    @Test func aLoginWithoutAnswerIsATimeoutOfTheLogin() async throws {
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout) { client, simulator in
            simulator.state.inject(.noAnswer, on: .login)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .timeout)
            #expect(error.operation == .login)
            #expect(simulator.state.calls(of: .findPatron) == 0)
        }
    }

    @Test func aServerErrorIsReportedWithItsStatusAndNotRepeated() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.serverError(status: 500), on: .registerPayment)
            let error = try #require(await FBSFixture.error {
                try await client.registerPayment(try FBSPaymentOrder(orderID: "o-1", feeIDs: [1001]), for: FBSFixture.patron)
            })
            #expect(error.code == .serverError)
            #expect(error.httpStatus == 500)
            #expect(error.description.hasPrefix("FBS register a payment: FBS answered 500, a server error"))
            #expect(simulator.state.calls(of: .registerPayment) == 1)
            #expect(simulator.state.registrations.isEmpty)
        }
    }

    @Test func aSlowAnswerWithinTheTimeoutIsAccepted() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.slowAnswer(.milliseconds(500)), on: .listFees)
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.count == 4)
        }
    }

    @Test func aSlowAnswerBeyondTheTimeoutIsATimeout() async throws {
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout) { client, simulator in
            simulator.state.inject(.slowAnswer(.seconds(10)), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .timeout)
        }
    }

    @Test func nothingListeningIsUnreachable() async throws {
        // A port nothing listens on: one the system just handed out and took back.
        let baseURL = "http://127.0.0.1:\(FBSFixture.closedPort())/rest"
        try await FBSHTTPClient.withClient(configuration: FBSFixture.configuration(baseURL, timeout: .seconds(10)),
                                           credentials: FBSCredentials(username: "kioskbridge", password: FBSFixture.password),
                                           logger: CapturedLog().logger) { client in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .unreachable)
            #expect(error.operation == .login)
            #expect(error.message.hasPrefix("no connection to FBS at \(baseURL)"))
            #expect(error.message.contains("refused"))
        }
    }

    @Test func aRefusedRequestIsRequestRefusedWithFBSsWords() async throws {
        try await FBSFixture.run { client, _ in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSPatronID(999)) })
            #expect(error.code == .requestRefused)
            #expect(error.httpStatus == 400)
            #expect(error.message == #"FBS refused the request with 400: {"message":"unknown patron"}"#)
        }
    }

    @Test func aRedirectIsNotFollowed() async throws {
        try await FBSFixture.run { client, simulator in
            // Followed, the patron lookup would go to the login with the CPR number as its body.
            simulator.state.inject(.redirect(location: simulator.baseURL + "/external/v1/DK-761500/authentication/login"), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .unexpectedStatus)
            #expect(error.httpStatus == 307)
            #expect(simulator.state.calls(of: .login) == 1)
            #expect(simulator.state.calls(of: .findPatron) == 1)
        }
    }

    @Test func aStatusFBSDoesNotDescribeIsAnUnexpectedStatus() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 204, body: ""), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .unexpectedStatus)
            #expect(error.httpStatus == 204)
        }
    }
}
