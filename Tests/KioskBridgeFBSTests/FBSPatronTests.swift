import FBSSimulator
import KioskBridgeCore
import Testing
@testable import KioskBridgeFBS

/// fbs-api.md, "Find the patron by CPR number".
@Suite struct FBSPatronTests {
    @Test func aPatronIsFoundByCPRNumberWithItsFBSNumber() async throws {
        try await FBSFixture.run { client, _ in
            let patron = try #require(try await client.findPatron(cpr: FBSFixture.cpr))
            #expect(patron == FBSPatron(id: FBSPatronID(FBSFixture.patronID), status: .valid, kind: .person))
        }
    }

    @Test func aCPRNumberFBSDoesNotKnowIsNoPatron() async throws {
        try await FBSFixture.run { client, _ in
            let patron = try await client.findPatron(cpr: try CPRNumber(parsing: FBSFixture.unknownCPR))
            #expect(patron == nil)
        }
    }

    @Test func theCPRNumberTravelsInTheBodyNeverInTheURL() async throws {
        try await FBSFixture.run { client, simulator in
            // The simulator answers 400 unless the body is the ten digits as raw text.
            #expect(try await client.findPatron(cpr: FBSFixture.cpr) != nil)
            _ = try await client.unpaidFees(of: FBSFixture.patron)
            let targets = simulator.state.requestTargets
            #expect(targets.count == 3)
            #expect(targets.allSatisfy { !$0.contains(FBSFixture.cprDigits) && !$0.contains("010190") })
        }
    }

    @Test func aLockedOutPatronIsStillAPatronWithFees() async throws {
        var data = FBSFixture.data()
        data.patrons[0].status = "LOANER_LOCKED_OUT"
        data.patrons[0].patronType = "COMPANY"
        try await FBSFixture.run(data) { client, _ in
            let patron = try #require(try await client.findPatron(cpr: FBSFixture.cpr))
            #expect(patron.status == .loanerLockedOut)
            #expect(patron.kind == .company)
        }
    }

    @Test func anAuthenticateStatusFBSDoesNotDocumentIsRefused() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"{"authenticateStatus":"MAYBE","patronId":1}"#), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .malformedAnswer)
            #expect(error.description == #"FBS find the patron by CPR number: the answer field answer.authenticateStatus: found "MAYBE", expected VALID, INVALID or LOANER_LOCKED_OUT"#)
        }
    }

    @Test func aValidPatronWithoutAPatronIdIsRefused() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"{"authenticateStatus":"VALID","patronId":null}"#), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .malformedAnswer)
            #expect(error.message.contains("answer.patronId: found nothing"))
        }
    }

    @Test func aCPRNumberEchoedInAnAnswerIsMaskedInTheError() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"{"authenticateStatus":"VALID","patronId":"0101901234"}"#), on: .findPatron)
            let error = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(error.code == .malformedAnswer)
            #expect(!error.description.contains(FBSFixture.cprDigits))
            #expect(error.description.contains("010190-****"))
            simulator.state.inject(.rawAnswer(status: 400, body: #"{"message":"bad cpr x0101901234x"}"#), on: .findPatron)
            let refused = try #require(await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) })
            #expect(refused.code == .requestRefused)
            #expect(!refused.description.contains(FBSFixture.cprDigits))
        }
    }
}
