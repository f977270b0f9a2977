import FBSSimulator
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KioskBridgeCore
import Logging
import Synchronization
import Testing
@testable import KioskBridgeFBS

/// Every log line a client wrote, message and metadata, at every level.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "fbs-test") { _ in CapturingHandler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: [String] { lines.withLock { $0 } }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let text = "\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))"
            log.lines.withLock { $0.append(text) }
        }
    }
}

/// A simulator loaded with one patron's fees and a client pointed at it.
enum FBSFixture {
    static let cprDigits = "0101901234"
    static var cpr: CPRNumber { (try? CPRNumber(parsing: cprDigits)) ?? { preconditionFailure("test CPR number") }() }
    static let unknownCPR = "0202801111"
    static let patronID: Int64 = 654_321
    static let password = "fbs-test-password"

    static func fee(_ id: Int64, _ amount: String, type: String = "fee", createdOn: String = "2020-03-01",
                    dueOn: String? = "2020-04-01", payableByClient: Bool = true, reason: String? = "Gebyr (for sent)") -> FBSSimulatorData.Fee {
        FBSSimulatorData.Fee(feeID: id, amount: amount, type: type, reason: reason, createdOn: createdOn, dueOn: dueOn,
                             payableByClient: payableByClient)
    }

    static let standardFees = [
        fee(1001, "20", createdOn: "2020-01-10"),
        fee(1002, "249.95", type: "compensation", createdOn: "2020-02-10"),
        fee(1003, "0.5", createdOn: "2020-03-10", dueOn: nil),
        fee(1004, "70", createdOn: "2021-06-01", payableByClient: false),
    ]

    static func data(fees: [FBSSimulatorData.Fee] = standardFees, sessionCalls: Int? = nil) -> FBSSimulatorData {
        FBSSimulatorData(password: password, sessionCalls: sessionCalls,
                         patrons: [FBSSimulatorData.Patron(cpr: cprDigits, patronID: patronID, fees: fees)])
    }

    /// The timeout of tests that wait for one: long enough for a login on a loaded
    /// machine (the whole suite runs in parallel on two cores), short enough to wait for.
    static let faultTimeout: Duration = .seconds(3)

    static func configuration(_ baseURL: String, timeout: Duration = .seconds(10)) throws -> FBSConfiguration {
        try FBSConfiguration(baseURL: baseURL, agencyID: "DK-761500", credentialsFile: "/unused", timeout: timeout)
    }

    /// Runs `body` with a started simulator and a client on it; both are stopped afterwards.
    static func run(_ data: FBSSimulatorData = data(), timeout: Duration = .seconds(10), password: String = password,
                    log: CapturedLog = CapturedLog(),
                    _ body: (FBSHTTPClient, FBSSimulator) async throws -> Void) async throws {
        let simulator = try await FBSSimulator.start(data)
        defer { simulator.stop() }
        try await withTaskExecutorPreference(simulator.executor) {
            try await FBSHTTPClient.withClient(configuration: configuration(simulator.baseURL, timeout: timeout),
                                               credentials: FBSCredentials(username: data.username, password: password),
                                               logger: log.logger) { client in
                try await body(client, simulator)
            }
        }
    }

    /// A second client on the same simulator with the ordinary timeout: what a test asks
    /// after a fault must not fail because a loaded machine was slower than a fault's short timeout.
    static func patient<R: Sendable>(_ simulator: FBSSimulator, _ data: FBSSimulatorData = data(),
                                     _ body: (FBSHTTPClient) async throws -> R) async throws -> R {
        try await FBSHTTPClient.withClient(configuration: configuration(simulator.baseURL),
                                           credentials: FBSCredentials(username: data.username, password: password),
                                           logger: CapturedLog().logger, body)
    }

    /// A port of 127.0.0.1 that nothing listens on: bound to find a free one, then closed.
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static var patron: FBSPatronID { FBSPatronID(patronID) }

    /// The error `body` throws, or nil when it does not throw.
    static func error<T>(_ body: () async throws -> T) async -> FBSError? {
        do {
            _ = try await body()
            return nil
        } catch let error as FBSError {
            return error
        } catch {
            Issue.record("not an FBSError: \(error)")
            return nil
        }
    }

    static func temporaryFile(_ contents: String, mode: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fbs-credentials-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(contents.utf8),
                                             attributes: [.posixPermissions: NSNumber(value: mode)]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        try FileManager.default.setAttributes([.posixPermissions: NSNumber(value: mode)], ofItemAtPath: path)
        return path
    }
}
