import FBSSimulator
import Testing
@testable import KioskBridgeFBS

/// Full CPR numbers, passwords and session keys never appear in logs or error messages
/// (the guide; issue 15, point 8), whatever FBS answers.
@Suite struct FBSSecrecyTests {
    /// Faults and hostile answers that make the client write errors and log lines.
    static let faults: [(FBSSimulatorFault, FBSSimulatorOperation)] = [
        (.rawAnswer(status: 200, body: #"{"sessionKey": 12345}"#), .login),
        (.rawAnswer(status: 200, body: #"{"sessionKey": "fbs-test-password"}"#), .login),
        (.rawAnswer(status: 200, body: #"{"sessionKey": "has space"}"#), .login),
        (.rawAnswer(status: 400, body: #"{"message": "bad login fbs-test-password"}"#), .login),
        (.rawAnswer(status: 200, body: #"{"authenticateStatus": "0101901234"}"#), .findPatron),
        (.rawAnswer(status: 200, body: #"{"authenticateStatus": "VALID", "patronId": 0101901234}"#), .findPatron),
        (.rawAnswer(status: 200, body: #"{"authenticateStatus": "VALID", "patronType": "PERSON 0101901234", "patronId": 1}"#), .findPatron),
        (.rawAnswer(status: 500, body: #"{"message": "no patron 0101901234"}"#), .findPatron),
        (.serverError(status: 503), .findPatron),
        (.noAnswer, .findPatron),
        (.unauthorized, .findPatron),
    ]

    @Test func noCPRNumberPasswordOrSessionKeyInAnyErrorOrLogLine() async throws {
        let log = CapturedLog()
        var errors: [String] = []
        var patronTypes: [String] = []
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout, log: log) { client, simulator in
            _ = try await client.findPatron(cpr: FBSFixture.cpr)
            for (fault, operation) in Self.faults {
                simulator.state.expireSessions()
                simulator.state.inject(fault, on: operation, times: 2)
                do {
                    if let patron = try await client.findPatron(cpr: FBSFixture.cpr) { patronTypes.append("\(patron.kind)") }
                } catch {
                    errors.append("\(error)")
                }
                simulator.state.clearFaults()
            }
            let secrets = [FBSFixture.cprDigits, FBSFixture.password] + simulator.state.issuedSessionKeys
            #expect(simulator.state.issuedSessionKeys.count >= 2)
            #expect(errors.count >= 10)
            for text in errors + log.all + patronTypes {
                for secret in secrets { #expect(!text.contains(secret), "\(text)") }
            }
        }
    }

    @Test func credentialsPrintWithoutTheirPassword() {
        let credentials = FBSCredentials(username: "kioskbridge", password: FBSFixture.password)
        #expect("\(credentials)" == "FBS credentials of kioskbridge (password not shown)")
        #expect(String(reflecting: credentials) == "FBS credentials of kioskbridge (password not shown)")
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains(FBSFixture.password))
    }
}
