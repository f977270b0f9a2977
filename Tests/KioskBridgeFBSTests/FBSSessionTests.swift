import FBSSimulator
import Testing
@testable import KioskBridgeFBS

/// fbs-api.md, "Log in": one login, the key in `X-Session`, a new login and one repeat on 401.
@Suite struct FBSSessionTests {
    @Test func theClientLogsInOnceAndSendsTheSessionKeyWithEveryCall() async throws {
        try await FBSFixture.run { client, simulator in
            _ = try await client.findPatron(cpr: FBSFixture.cpr)
            _ = try await client.unpaidFees(of: FBSFixture.patron)
            _ = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(simulator.state.calls(of: .login) == 1)
            #expect(simulator.state.calls(of: .listFees) == 2)
            #expect(simulator.state.issuedSessionKeys.count == 1)
        }
    }

    @Test func anExpiredSessionKeyIsRenewedAndTheCallRepeatedOnce() async throws {
        try await FBSFixture.run { client, simulator in
            _ = try await client.findPatron(cpr: FBSFixture.cpr)
            simulator.state.expireSessions()
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.count == 4)
            #expect(simulator.state.calls(of: .login) == 2)
            #expect(simulator.state.calls(of: .listFees) == 2)
        }
    }

    @Test func aSessionThatExpiresInTheMiddleOfACycleDoesNotStopIt() async throws {
        try await FBSFixture.run { client, simulator in
            let patron = try #require(try await client.findPatron(cpr: FBSFixture.cpr))
            simulator.state.expireSessions(afterCalls: 1)
            let fees = try await client.unpaidFees(of: patron.id)
            let results = try await client.registerPayment(try FBSPaymentOrder(orderID: "kb-K1-T1", feeIDs: [fees[0].id]), for: patron.id)
            #expect(results.map(\.isRegistered) == [true])
            #expect(simulator.state.calls(of: .login) == 2)
            #expect(simulator.state.calls(of: .registerPayment) == 2)
            #expect(simulator.state.registrations(of: 1001) == 1)
        }
    }

    @Test func keysThatLastAFewCallsAreRenewedAsOftenAsNeeded() async throws {
        try await FBSFixture.run(FBSFixture.data(sessionCalls: 2)) { client, simulator in
            for _ in 0..<6 { _ = try await client.unpaidFees(of: FBSFixture.patron) }
            #expect(simulator.state.calls(of: .login) == 3)
            #expect(simulator.state.calls(of: .listFees) == 8)
        }
    }

    @Test func a401AfterANewLoginIsAnErrorAndNotRepeatedAgain() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.unauthorized, on: .listFees, times: nil)
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .unauthorizedAfterLogin)
            #expect(error.operation == .listFees)
            #expect(simulator.state.calls(of: .listFees) == 2)
            #expect(simulator.state.calls(of: .login) == 2)
        }
    }

    @Test func wrongCredentialsAreALoginRefusedAndNoCallIsMade() async throws {
        try await FBSFixture.run(password: "not-the-password") { client, simulator in
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .loginRefused)
            #expect(error.httpStatus == 403)
            #expect(error.operation == .login)
            #expect(error.description.contains("kioskbridge"))
            #expect(simulator.state.calls(of: .findPatron) == 0)
        }
    }

    @Test func aRefusedLoginIsTriedAgainOnTheNextCall() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.refuseLogins(true)
            #expect(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) }?.code == .loginRefused)
            simulator.state.refuseLogins(false)
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.count == 4)
            #expect(simulator.state.calls(of: .login) == 2)
        }
    }

    @Test func callsThatFindTheKeyExpiredTogetherShareOneNewLogin() async throws {
        try await FBSFixture.run { client, simulator in
            _ = try await client.unpaidFees(of: FBSFixture.patron)
            simulator.state.expireSessions()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { try await client.unpaidFees(of: FBSFixture.patron).count } }
                for try await count in group { #expect(count == 4) }
            }
            #expect(simulator.state.calls(of: .login) == 2)
        }
    }
}
