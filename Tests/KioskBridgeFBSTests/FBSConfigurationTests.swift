import FBSSimulator
import Foundation
import Testing
@testable import KioskBridgeFBS

/// `[fbs]` settings and the credentials file (issue 15, point 8).
@Suite struct FBSConfigurationTests {
    @Test func aCredentialsFileIsTwoLinesUsernameThenPassword() throws {
        let path = try FBSFixture.temporaryFile("kioskbridge\nhemmeligt kodeord\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let credentials = try FBSCredentials.read(from: path)
        #expect(credentials.username == "kioskbridge")
        #expect(credentials.password == "hemmeligt kodeord")
    }

    @Test func windowsLineEndsAndATrailingBlankLineAreAccepted() throws {
        let path = try FBSFixture.temporaryFile("kioskbridge\r\nsecret\r\n\r\n", mode: 0o400)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FBSCredentials.read(from: path).password == "secret")
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660, 0o606, 0o610])
    func aCredentialsFileThatGroupOrOthersMayAccessIsRefused(mode: Int) throws {
        let path = try FBSFixture.temporaryFile("kioskbridge\nsecret\n", mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: FBSError.self) { try FBSCredentials.read(from: path) }
        #expect(error.code == .credentialsUnusable)
        #expect(error.message == "the FBS credentials file \(path) has mode 0\(String(mode, radix: 8)): group or others may access it; it must be readable by the service user only (chmod 600 \(path))")
        #expect(!error.message.contains("secret"))
    }

    @Test(arguments: [
        ("kioskbridge\n", "has 1 line; it must have two: the username, then the password"),
        ("kioskbridge\nsecret\nmore\n", "has 3 lines; it must have two: the username, then the password"),
        ("\nsecret\n", "has an empty first line; it must hold the username"),
        ("", "has 0 lines; it must have two: the username, then the password"),
    ])
    func aCredentialsFileThatIsNotTwoLinesIsRefused(contents: String, problem: String) throws {
        let path = try FBSFixture.temporaryFile(contents, mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(throws: FBSError.self) { try FBSCredentials.read(from: path) }
        #expect(error.message == "the FBS credentials file \(path) \(problem)")
    }

    @Test func aMissingCredentialsFileIsNamed() throws {
        let error = try #require(throws: FBSError.self) { try FBSCredentials.read(from: "/nonexistent/fbs-credentials") }
        #expect(error.message == "the FBS credentials file /nonexistent/fbs-credentials cannot be opened (No such file or directory)")
    }

    @Test func theClientReadsItsCredentialsFromTheConfiguredFile() async throws {
        let path = try FBSFixture.temporaryFile("kioskbridge\n\(FBSFixture.password)\n", mode: 0o600)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let simulator = try await FBSSimulator.start(FBSFixture.data())
        defer { simulator.stop() }
        let configuration = try FBSConfiguration(baseURL: simulator.baseURL, agencyID: "DK-761500", credentialsFile: path)
        let client = try FBSHTTPClient(configuration: configuration, logger: CapturedLog().logger)
        let error = await FBSFixture.error { try await client.findPatron(cpr: FBSFixture.cpr) }
        await client.shutdown()
        #expect(error == nil)
        #expect(simulator.state.calls(of: .login) == 1)
    }

    @Test func theBaseURLMustBeHTTPSOrThisMachine() throws {
        #expect(try FBSConfiguration(baseURL: "https://fbs.example/rest/", agencyID: "DK-761500", credentialsFile: "/c").baseURL
            == "https://fbs.example/rest")
        #expect(try FBSConfiguration(baseURL: "http://127.0.0.1:8080/rest", agencyID: "DK-761500", credentialsFile: "/c").baseURL
            == "http://127.0.0.1:8080/rest")
        for url in ["http://fbs.example/rest", "ftp://fbs.example", "fbs.example/rest", "https://user:pw@fbs.example/rest",
                    "https://fbs.example/rest?x=1", ""] {
            let error = try #require(throws: FBSError.self) { try FBSConfiguration(baseURL: url, agencyID: "DK-761500", credentialsFile: "/c") }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.hasPrefix("[fbs] base_url: found "))
            #expect(!error.message.contains("pw@"))
        }
    }

    @Test func theAgencyIdIsAnISILCode() throws {
        #expect(try FBSConfiguration(baseURL: "https://fbs.example/rest", agencyID: "DK-761500", credentialsFile: "/c").agencyID == "DK-761500")
        for agency in ["761500", "DK-76/1500", "DK-", "DK-761500-1", "DK 761500", "DK-761500?x"] {
            let error = try #require(throws: FBSError.self) { try FBSConfiguration(baseURL: "https://fbs.example/rest", agencyID: agency, credentialsFile: "/c") }
            #expect(error.message.hasPrefix("[fbs] agency_id: found "))
        }
    }

    @Test func theTimeoutIsPositiveAndBounded() throws {
        for timeout in [Duration.zero, .seconds(-1), .seconds(601)] {
            let error = try #require(throws: FBSError.self) {
                try FBSConfiguration(baseURL: "https://fbs.example/rest", agencyID: "DK-761500", credentialsFile: "/c", timeout: timeout)
            }
            #expect(error.message.hasPrefix("[fbs] timeout: found "))
        }
    }
}
