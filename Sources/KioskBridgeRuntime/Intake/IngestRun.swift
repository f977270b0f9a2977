import Foundation
public import KioskBridgeCore
import KioskBridgeFormats
public import KioskBridgeStore
public import Logging

/// What one pass over the inbox did.
public struct IngestSummary: Sendable {
    public var files: [FileReport] = []
    /// Files seen but not yet settled (still being written), left for the next run.
    public var waiting: [String] = []
    public var warnings: [String] = []

    public init() {}

    public var filesAccepted: Int { files.filter { $0.verdict == .accepted }.count }
    public var filesRejected: Int { files.filter { $0.verdict == .rejected }.count }
    public var filesDuplicate: Int { files.filter { $0.verdict == .duplicate }.count }
    public var recordsRejected: Int { files.reduce(0) { $0 + $1.tally.recordsRejected } }
    public var recordsDuplicate: Int { files.reduce(0) { $0 + $1.tally.recordsDuplicate } }
    public var paymentsBooked: Int { files.reduce(0) { $0 + $1.tally.paymentsBooked } }
    public var voidsBooked: Int { files.reduce(0) { $0 + $1.tally.voidsBooked } }
}

/// `ingest`: takes every settled file in the inbox once (the tills' payments written
/// there first, ``TillOutbox``), plus whatever an interrupted run left in `processing/`, in the order kiosk id, then sequence number, so that a
/// void in a later file always finds its payment.
public struct IngestRun: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger
    let sleep: @Sendable (Double) -> Void

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger,
                sleep: @escaping @Sendable (Double) -> Void = { seconds in Thread.sleep(forTimeInterval: seconds) }) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.sleep = sleep
    }

    /// One pass. `entries`, when given, are the inbox files already known to be settled
    /// (`watch` tracks that itself); otherwise the inbox is polled and waited on here.
    public func run(at now: Instant, settled entries: [InboxEntry]? = nil) async throws -> IngestSummary {
        var summary = IngestSummary()
        let inbox = Inbox(paths: configuration.paths)
        var schemaCache: XMLSchema?
        let intake = FileIntake(store: store, inbox: inbox, claimTypes: configuration.claimTypes,
                                limits: configuration.identifierLimits, plausibility: configuration.plausibility, schema: {
            if let schemaCache { return schemaCache }
            let schema = try XMLSchema.kioskExport()
            schemaCache = schema
            return schema
        }, logger: logger)

        try await TillOutbox(configuration: configuration, store: store, logger: logger).writePending()
        summary.warnings += inbox.setAsideIrregularEntries(at: now)
        var claimed = try inbox.leftInProcessing()
        if !claimed.isEmpty {
            logger.notice("taking up \(claimed.count) file(s) left in processing/ by an interrupted run")
        }
        let ready: [InboxEntry]
        if let entries {
            ready = entries
        } else {
            let polled = try inbox.settledFiles(settleSeconds: configuration.settleSeconds, sleep: sleep)
            ready = polled.ready
            summary.waiting = polled.waiting.map(\.name)
        }
        var folders = FileSystem.FolderSyncs()
        for entry in ready {
            if let file = try inbox.claim(entry, syncingLater: &folders) { claimed.append(file) }
        }
        folders.sync()
        for name in summary.waiting {
            summary.warnings.append("\(name) is still being written; left in the inbox for the next run")
        }

        var inspected: [FileIntake.Candidate] = []
        for file in claimed {
            do {
                inspected.append(try intake.inspect(file))
            } catch let error as FileAccessError where error.kind != nil {
                // Replaced by a link, a pipe or the like after the inbox was listed: not read.
                summary.warnings.append(inbox.setAside(file, kind: error.kind ?? .unknown, at: now))
            }
        }
        var (settlements, candidates) = try await intake.finishInterruptedMoves(inspected, at: now)
        candidates.sort(by: Self.intakeOrder)
        do {
            for transaction in BookingTransactions.cut(candidates) {
                let booked = try await store.intake { session in
                    var booked: [FileIntake.Settlement] = []
                    for candidate in transaction { booked.append(try await intake.takeIn(candidate, at: now, in: session)) }
                    return booked
                }
                CrashPoint.afterBooking.reach()
                for settlement in booked {
                    log(settlement.report)
                    if let warning = Self.gapWarning(settlement.report) { summary.warnings.append(warning) }
                }
                settlements += booked
            }
        } catch {
            // What was booked still leaves processing/ now, rather than at the next run.
            _ = try? await intake.settle(settlements, at: now)
            throw error
        }
        summary.files = try await intake.settle(settlements, at: now)
        return summary
    }

    /// The warning for a sequence gap a file revealed, if it revealed one.
    static func gapWarning(_ report: FileReport) -> String? {
        guard let gap = report.gap, let kiosk = report.kioskID else { return nil }
        let missing = gap.count == 1 ? "file \(gap.lowerBound) is" : "files \(gap.lowerBound)-\(gap.upperBound) are"
        return "sequence gap for kiosk \(kiosk): \(missing) missing (received \(report.sequence ?? 0) after \(gap.lowerBound - 1))"
    }

    /// Kiosk id, then sequence; files whose header could not be read first, by name.
    static func intakeOrder(_ a: FileIntake.Candidate, _ b: FileIntake.Candidate) -> Bool {
        switch (a.header, b.header) {
        case (.success(let x)?, .success(let y)?):
            if x.kioskID != y.kioskID { return x.kioskID < y.kioskID }
            if x.sequence != y.sequence { return x.sequence < y.sequence }
            return a.file.originalName < b.file.originalName
        case (.success?, _): return false
        case (_, .success?): return true
        default: return a.file.originalName < b.file.originalName
        }
    }

    private func log(_ report: FileReport) {
        var metadata: Logger.Metadata = ["file": "\(report.name)", "verdict": "\(report.verdict.rawValue)"]
        if let kiosk = report.kioskID { metadata["kiosk"] = "\(kiosk)" }
        if let sequence = report.sequence { metadata["sequence"] = "\(sequence)" }
        metadata["records"] = "\(report.records)"
        if let sum = report.sum { metadata["sum"] = "\(sum)" }
        switch report.verdict {
        case .accepted:
            metadata["booked"] = "\(report.tally.paymentsBooked)"
            if report.tally.voidsBooked > 0 { metadata["voids"] = "\(report.tally.voidsBooked)" }
            if report.tally.recordsRejected > 0 { metadata["records_rejected"] = "\(report.tally.recordsRejected)" }
            if report.tally.recordsDuplicate > 0 { metadata["records_duplicate"] = "\(report.tally.recordsDuplicate)" }
            logger.info("file taken in", metadata: metadata)
            for problem in report.recordProblems { logger.warning("record rejected: \(report.name): \(problem)") }
            if report.recordProblemsOmitted > 0 { logger.warning("record rejected: \(report.name): \(RejectionNotes.omittedLine(report.recordProblemsOmitted))") }
        case .duplicate:
            logger.info("file is a duplicate: \(report.reason ?? "")", metadata: metadata)
        case .rejected:
            logger.warning("file rejected: \(report.reason ?? "")", metadata: metadata)
        }
    }
}
