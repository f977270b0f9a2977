import Foundation
import KioskBridgeCore
import KioskBridgeStore
public import Logging

/// `demo`: the whole bridge on the project's sample day, in a fresh temporary folder.
public struct Demo {
    /// The sample day's first cycle after the kiosks' afternoon files.
    public static let sampleCycle = "2026-11-21T14:20:00+01:00"
    /// A receipt of the sample day worth looking up: paid two fees, one old fee left in FBS.
    public static let sampleReceipt = "B-000981"

    let samples: String
    let logger: Logger
    let openStore: StoreOpener

    public init(samples: String, logger: Logger, openStore: @escaping StoreOpener) {
        self.samples = samples
        self.logger = logger
        self.openStore = openStore
    }

    /// Where the sample files are: `--samples`, `$KIOSKBRIDGE_SAMPLES`, a `SampleFiles`
    /// folder in or above the current folder or the executable's, or the installed copy.
    public static func locateSamples(explicit: String?, executable: String) -> String? {
        let manager = FileManager.default
        func valid(_ path: String) -> Bool { manager.fileExists(atPath: path + "/inbox") }
        if let explicit { return valid(explicit) ? ConfigurationLoader.absolute(explicit, relativeTo: manager.currentDirectoryPath) : nil }
        if let env = ProcessInfo.processInfo.environment["KIOSKBRIDGE_SAMPLES"], valid(env) { return env }
        for start in [manager.currentDirectoryPath, ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent] {
            var folder = start
            for _ in 0..<8 {
                let candidate = folder + "/SampleFiles"
                if valid(candidate) { return candidate }
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder { break }
                folder = parent
            }
        }
        for candidate in ["/usr/local/share/kioskbridge/SampleFiles", "/usr/share/kioskbridge/SampleFiles"] where valid(candidate) {
            return candidate
        }
        return nil
    }

    /// Runs the sample day and returns what to print.
    public func run() async throws -> String {
        var output = ""
        let folder = try Self.temporaryFolder()
        output += "kioskbridge demo in \(folder)\n\n"
        let configuration = try await BridgeSetup.initialize(folder: folder, settleSeconds: 0, openStore: openStore)
        let store = try await openStore(configuration)
        defer { Task { await store.close() } }
        guard let now = try? Timestamp.parse(Self.sampleCycle).get() else { throw BridgeError.configuration("bad demo time") }

        output += "1. kioskbridge init \(folder)\n   wrote \(configuration.file) and its folders\n\n"
        let claimsFolder = samples + "/claims"
        let snapshots = ((try? FileManager.default.contentsOfDirectory(atPath: claimsFolder)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
        for snapshot in snapshots {
            let result = try await ClaimsImport(store: store, logger: logger, limits: configuration.identifierLimits,
                                                plausibility: configuration.plausibility).run(path: claimsFolder + "/" + snapshot, at: now.adding(seconds: -7200))
            output += "2. kioskbridge claims import \(snapshot)\n   " + result.text + "\n"
        }
        let kioskFiles = ((try? FileManager.default.contentsOfDirectory(atPath: samples + "/inbox")) ?? []).sorted()
        for name in kioskFiles {
            try FileManager.default.copyItem(atPath: samples + "/inbox/" + name, toPath: configuration.paths.inbox + "/" + name)
        }
        output += "3. the kiosk vendor drops \(kioskFiles.count) files into \(configuration.paths.inbox)\n\n"
        let ingest = IngestRun(configuration: configuration, store: store, logger: logger)
        let summary = try await CycleRun(configuration: configuration, store: store, logger: logger, ingest: ingest).run(at: now)
        output += "4. kioskbridge cycle --now \(Self.sampleCycle)\n" + summary.text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "   " + $0 }.joined(separator: "\n") + "\n"
        let matches = try await ReceiptLookup(store: store, configuration: configuration).find(Self.sampleReceipt)
        output += "5. kioskbridge receipt \(Self.sampleReceipt)\n"
        for match in matches {
            output += match.text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n") + "\n"
        }
        let report = try await Reconciliation.make(date: CopenhagenTime.localDate(at: now), store: store)
        output += "6. kioskbridge report --date \(report.date)\n"
            + report.text.split(separator: "\n", omittingEmptySubsequences: false).map { "   " + $0 }.joined(separator: "\n") + "\n"
        output += "Look around: \(folder) (outbox/ holds the debtor's import file, rejected/ the refused file and why).\n"
        output += "Try: kioskbridge receipt B-000982 --config \(configuration.file) --now \(Self.sampleCycle)\n"
        return output
    }

    static func temporaryFolder() throws -> String {
        let base = NSTemporaryDirectory().hasSuffix("/") ? NSTemporaryDirectory() : NSTemporaryDirectory() + "/"
        var template = Array((base + "kioskbridge-demo.XXXXXX").utf8CString)
        guard let result = mkdtemp(&template) else { throw BridgeError.io("cannot create a temporary folder for the demo") }
        return String(cString: result)
    }
}
