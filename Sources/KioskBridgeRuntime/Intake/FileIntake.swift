import Foundation
import KioskBridgeCore
import KioskBridgeFormats
import KioskBridgeStore
import Logging

/// What became of one kiosk file.
public struct FileReport: Sendable {
    public enum Verdict: String, Sendable {
        case accepted
        case rejected
        case duplicate
    }

    public var name: String
    public var verdict: Verdict
    public var kioskID: String?
    public var sequence: Int?
    public var records = 0
    public var sum: Amount?
    public var tally = FileTally()
    /// Why a file was rejected, or whose duplicate it is.
    public var reason: String?
    /// Refused records of an accepted file, one line each: the first 1,000.
    public var recordProblems: [String] = []
    /// Refused records beyond those in `recordProblems` (each is in the store).
    public var recordProblemsOmitted: Int { max(0, tally.recordsRejected - recordProblems.count) }
    /// A sequence gap this file revealed.
    public var gap: ClosedRange<Int>?
    public var storedPath: String?
}

/// Takes one claimed kiosk file in: judges it whole, books what is valid inside a
/// transaction that may book the run's next files too (``BookingTransactions``), and, with
/// the run's other files, moves it to the archive or to `rejected/`.
///
/// The booking commits before the file leaves `processing/`; a crash before the commit
/// leaves the transaction's files there with nothing booked, to be taken up again whole,
/// and a crash after it leaves them there with their verdicts recorded: the next run only
/// finishes the moves. The moves of a run are made after all its bookings, their folders
/// flushed once, and where each file went is recorded in one transaction after that.
/// A whole-file problem (a trailer that does not match) is found before a file of one run
/// is written, and rolls a larger file's savepoint back when found halfway: nothing from a
/// bad file is ever booked, and nothing booked before it is touched.
struct FileIntake {
    let store: any BridgeStore
    let inbox: Inbox
    let claimTypes: ClaimTypeMapping
    let limits: IdentifierLimits
    let plausibility: PlausibilityRules
    let schema: () throws -> XMLSchema
    let logger: Logger

    /// A claimed file, fingerprinted, with its header if it could be read.
    struct Candidate {
        let file: ClaimedFile
        let fingerprint: FileFingerprint
        let format: KioskFileFormat?
        let header: Result<KioskFileHeader, IntakeProblem>?

        /// The kiosk and sequence number its header gives, if it could be read.
        var headerSequence: FileHistory.Sequence? {
            guard case .success(let header)? = header else { return nil }
            return FileHistory.Sequence(kioskID: header.kioskID, number: header.sequence)
        }
    }

    /// A file whose verdict is committed and which has yet to leave `processing/`.
    struct Settlement {
        let candidate: Candidate
        let fileID: RowID
        let receivedAt: Instant
        var report: FileReport
    }

    /// Records read, judged and written per store call: a file of a million payments is a
    /// few hundred calls, and a run stays small in memory.
    static let recordsPerRun = 2_000

    func inspect(_ file: ClaimedFile) throws -> Candidate {
        let fingerprint = try FileFingerprint.of(ByteSource(regularFileAt: file.path))
        let format = KioskFileFormat(fileName: file.originalName)
        var header: Result<KioskFileHeader, IntakeProblem>?
        if let format, fingerprint.size > 0 {
            do {
                let reader = try KioskFileFormat.reader(for: file.path, format: format, encoding: fingerprint.encoding, schema: schema)
                header = .success(try reader.readHeader())
            } catch let problem as IntakeProblem {
                header = .failure(problem)
            }
        }
        return Candidate(file: file, fingerprint: fingerprint, format: format, header: header)
    }

    /// Splits the run's files into those whose verdict was recorded before a crash, with
    /// only the move left to make, and those still to take in. One transaction asks for all
    /// of them: on a network database a transaction per file was most of a cycle's round trips.
    func finishInterruptedMoves(_ candidates: [Candidate], at now: Instant) async throws -> (moves: [Settlement], toTakeIn: [Candidate]) {
        guard !candidates.isEmpty else { return ([], []) }
        let stored = try await store.intake { session in
            var stored: [StoredFile?] = []
            for candidate in candidates {
                stored.append(try await session.fileAwaitingMove(sha256: candidate.fingerprint.sha256,
                                                                 processingName: candidate.file.processingName))
            }
            return stored
        }
        var moves: [Settlement] = []
        var toTakeIn: [Candidate] = []
        for (candidate, stored) in zip(candidates, stored) {
            guard let stored else {
                toTakeIn.append(candidate)
                continue
            }
            var report = FileReport(name: candidate.file.originalName, verdict: FileReport.Verdict(rawValue: stored.verdict.rawValue) ?? .rejected)
            report.kioskID = stored.kioskID
            report.sequence = stored.sequence
            report.reason = stored.reason
            logger.notice("finishing the move of \(candidate.file.originalName) after an interrupted run: \(stored.verdict.rawValue)")
            moves.append(Settlement(candidate: candidate, fileID: stored.id, receivedAt: stored.receivedAt, report: report))
        }
        return (moves, toTakeIn)
    }

    /// Judges and books one file in `session`'s transaction; the caller commits it.
    func takeIn(_ candidate: Candidate, at now: Instant, in session: any IntakeSession) async throws -> Settlement {
        var report = FileReport(name: candidate.file.originalName, verdict: .accepted)
        if candidate.fingerprint.size == 0 {
            return try await reject(candidate, IntakeProblem(.emptyFile, line: 0, expected: "a kiosk file; this file is empty (0 bytes)"),
                                    header: nil, at: now, in: session)
        }
        guard let format = candidate.format else {
            return try await reject(candidate, IntakeProblem(.notAKioskFile, line: 0, found: candidate.file.originalName,
                                                             expected: "a kiosk file named *.csv, *.txt or *.xml"), header: nil, at: now, in: session)
        }
        // Booking this file changes none of this (its own sequence number is not below itself).
        let history = try await session.fileHistory(sha256: candidate.fingerprint.sha256, sequence: candidate.headerSequence)
        if let original = history.sameContent {
            return try await duplicate(candidate, of: original, at: now, in: session)
        }
        let header: KioskFileHeader
        switch candidate.header {
        case .success(let value)?: header = value
        case .failure(let problem)?: return try await reject(candidate, problem, header: nil, at: now, in: session)
        case nil:
            return try await reject(candidate, IntakeProblem(.unreadableFile, line: 0, expected: "a readable kiosk file"), header: nil,
                                    at: now, in: session)
        }
        report.kioskID = header.kioskID.value
        report.sequence = header.sequence
        if let problem = plausibility.checkCreatedAt(header.createdAt, now: now, line: 1, xml: format == .xml) {
            return try await reject(candidate, problem, header: header, at: now, in: session)
        }
        if let earlier = history.sameSequence {
            return try await reject(candidate, IntakeProblem(
                .sequenceConflict, line: 1, field: RecordField.Header.sequence, found: String(header.sequence),
                expected: "a sequence number not yet accepted for \(header.kioskID): \(earlier.name) was accepted with it and different content",
                xml: format == .xml), header: header, at: now, in: session)
        }

        let booked: (fileID: RowID, judge: RecordJudge)
        do {
            booked = try await bookAccepted(candidate, format: format, header: header, at: now, in: session)
        } catch let problem as IntakeProblem {
            return try await reject(candidate, problem, header: header, at: now, in: session)
        }
        report.tally = booked.judge.tally
        report.records = booked.judge.tally.records
        report.sum = booked.judge.signedSum
        report.recordProblems = booked.judge.problems
        if let below = history.highestSequenceBelow, header.sequence > below + 1 {
            report.gap = (below + 1)...(header.sequence - 1)
        }
        return Settlement(candidate: candidate, fileID: booked.fileID, receivedAt: now, report: report)
    }

    /// Books an accepted file whole; throws the whole-file problem that refuses it instead.
    ///
    /// A file of one run (a kiosk's usual file of a few hundred records) is read to its end,
    /// its trailer and, in XML, its schema checked, before anything of it is written: a
    /// whole-file problem then leaves nothing to undo, and the file needs no savepoint of its
    /// own, whose copies of every page the file touched were about a seventh of a steady
    /// cycle's intake (docs/performance.md). A larger file is booked a run at a time inside a
    /// savepoint, which a whole-file problem found halfway (a trailer that does not match)
    /// rolls back.
    private func bookAccepted(_ candidate: Candidate, format: KioskFileFormat, header: KioskFileHeader, at now: Instant,
                              in session: any IntakeSession) async throws -> (fileID: RowID, judge: RecordJudge) {
        let reader = try KioskFileFormat.reader(for: candidate.file.path, format: format, encoding: candidate.fingerprint.encoding,
                                                schema: schema)
        _ = try reader.readHeader()
        let first = try Self.readRun(from: reader)
        if first.isLast {
            return try await book(candidate, header: header, reader: reader, first: first, at: now, in: session)
        }
        return try await session.savepoint {
            try await book(candidate, header: header, reader: reader, first: first, at: now, in: session)
        }
    }

    /// Records read from a file at a time, and whether the file ended among them.
    struct RecordRun {
        let entries: [KioskFileEntry]
        /// The reader reached the file's end after these, its trailer checked.
        let isLast: Bool
    }

    /// The next run of at most ``recordsPerRun`` records.
    static func readRun(from reader: any KioskFileReading) throws -> RecordRun {
        var entries: [KioskFileEntry] = []
        while entries.count < recordsPerRun {
            guard let entry = try reader.next() else { return RecordRun(entries: entries, isLast: true) }
            entries.append(entry)
        }
        return RecordRun(entries: entries, isLast: false)
    }

    /// Books the file's records, the run already read first, then the rest a run at a time.
    private func book(_ candidate: Candidate, header: KioskFileHeader, reader: any KioskFileReading, first: RecordRun,
                      at now: Instant, in session: any IntakeSession) async throws -> (fileID: RowID, judge: RecordJudge) {
        let fileID = try await session.recordFile(newFile(candidate, .accepted, header: header, at: now), cause: "taken in")
        var judge = RecordJudge(kioskID: header.kioskID, location: header.location, fileID: fileID, fileName: candidate.file.originalName,
                                claimTypes: claimTypes, limits: limits, plausibility: plausibility.forFile(createdAt: header.createdAt),
                                at: now)
        var run = first
        var runs = 0
        while !run.entries.isEmpty {
            let known = try await session.knownTransactions(kioskID: header.kioskID, ids: RecordJudge.lookups(run.entries))
            try await session.book(judge.judge(run.entries, known: known))
            runs += 1
            if runs == 1 { CrashPoint.midBooking.reach() }
            if run.isLast { break }
            run = try Self.readRun(from: reader)
        }
        try await session.completeFile(id: fileID, tally: judge.tally, trailerSum: judge.signedSum, at: now)
        return (fileID, judge)
    }

    private func newFile(_ candidate: Candidate, _ verdict: FileVerdict, header: KioskFileHeader?, duplicateOf: RowID? = nil,
                         problem: IntakeProblem? = nil, reason: String? = nil, at now: Instant) -> NewFileRecord {
        NewFileRecord(name: candidate.file.originalName, processingName: candidate.file.processingName,
                      sha256: candidate.fingerprint.sha256, size: candidate.fingerprint.size,
                      format: candidate.format?.rawValue ?? "unknown", encoding: candidate.fingerprint.encoding.rawValue,
                      header: header, receivedAt: now, verdict: verdict, duplicateOf: duplicateOf, reasonCode: problem?.code.rawValue,
                      reason: reason ?? problem?.description)
    }

    /// Refuses the whole file: it is recorded with its reason (what can be read of its
    /// payments is kept for the desk) and moved to `rejected/`.
    private func reject(_ candidate: Candidate, _ problem: IntakeProblem, header: KioskFileHeader?, at now: Instant,
                        in session: any IntakeSession) async throws -> Settlement {
        var report = FileReport(name: candidate.file.originalName, verdict: .rejected)
        report.reason = problem.description
        report.kioskID = header?.kioskID.value
        report.sequence = header?.sequence
        let fileID = try await session.recordFile(newFile(candidate, .rejected, header: header, problem: problem, at: now),
                                                  cause: problem.description)
        try await salvageRecords(candidate, header: header, problem: problem, fileID: fileID, at: now, in: session)
        return Settlement(candidate: candidate, fileID: fileID, receivedAt: now, report: report)
    }

    /// Archives a file whose content was accepted before; it books nothing.
    private func duplicate(_ candidate: Candidate, of original: StoredFile, at now: Instant,
                           in session: any IntakeSession) async throws -> Settlement {
        var report = FileReport(name: candidate.file.originalName, verdict: .duplicate)
        report.kioskID = original.kioskID
        report.sequence = original.sequence
        let reason = "same content (SHA-256) as \(original.name), accepted \(Timestamp.format(original.receivedAt)); nothing booked"
        report.reason = reason
        let fileID = try await session.recordFile(newFile(candidate, .duplicate, header: nil, duplicateOf: original.id, reason: reason,
                                                          at: now), cause: reason)
        return Settlement(candidate: candidate, fileID: fileID, receivedAt: now, report: report)
    }

    /// Moves the run's files to where their verdicts send them, flushes the folders once,
    /// then records where each went. A move that fails stops the rest (they stay in
    /// `processing/` with their verdicts, for the next run); the ones made are recorded.
    func settle(_ settlements: [Settlement], at now: Instant) async throws -> [FileReport] {
        var folders = FileSystem.FolderSyncs()
        var reports: [FileReport] = []
        var placed: [(fileID: RowID, path: String)] = []
        var failure: (any Error)?
        for settlement in settlements {
            var report = settlement.report
            do {
                let path = try place(settlement, syncingLater: &folders)
                report.storedPath = path
                placed.append((settlement.fileID, path))
            } catch {
                failure = error
                break
            }
            reports.append(report)
        }
        folders.sync()
        CrashPoint.afterMove.reach()
        if !placed.isEmpty {
            try await store.intake { session in try await session.setStoredPaths(placed, at: now) }
        }
        if let failure { throw failure }
        return reports
    }

    /// Moves one file to where its verdict sends it; returns where that is.
    private func place(_ settlement: Settlement, syncingLater folders: inout FileSystem.FolderSyncs) throws -> String {
        let report = settlement.report, file = settlement.candidate.file
        switch report.verdict {
        case .accepted, .duplicate:
            let path = try inbox.archive(file, takenIn: settlement.receivedAt, syncingLater: &folders)
            if !report.recordProblems.isEmpty {
                try inbox.writeRecordNotes(RejectionNotes.records(file: file.originalName, at: settlement.receivedAt,
                                                                  problems: report.recordProblems, omitted: report.recordProblemsOmitted),
                                           besideArchived: path)
            }
            return path
        case .rejected:
            return try inbox.reject(file, reason: RejectionNotes.file(
                name: file.originalName, at: settlement.receivedAt, sha256: settlement.candidate.fingerprint.sha256,
                reason: report.reason ?? "rejected"), syncingLater: &folders)
        }
    }

    /// Keeps what can be read of a refused file's payments, so that the desk can find a
    /// patron's receipt and say why it did not arrive.
    private func salvageRecords(_ candidate: Candidate, header: KioskFileHeader?, problem: IntakeProblem, fileID: RowID,
                                at now: Instant, in session: any IntakeSession) async throws {
        guard candidate.format == .csv, candidate.fingerprint.size > 0,
              let source = try? ByteSource(regularFileAt: candidate.file.path) else { return }
        let records = DelimitedRecordReader(source: source, encoding: candidate.fingerprint.encoding)
        let whole = IntakeProblem(problem.code, line: 0, expected: "the whole file was rejected: \(problem.description)")
        var count = 0
        var run = FileBookings(fileID: fileID, at: now)
        while count < 100_000, let record = try? records.next() {
            guard record.fields.first == "D", record.fields.count >= 8 else { continue }
            let f = record.fields
            let summary = RecordSummary(recordType: .payment, transactionID: f[1], receipt: f[7], payerText: f[3], paidAtText: f[2],
                                        claimType: f[4], amount: try? AmountText.parse(f[5][...], decimalSeparator: UInt8(ascii: ",")).get(),
                                        tender: f[6])
            var located = whole
            located.line = record.line
            run.rejected.append(RejectedRecord(summary: summary.bounded, problem: located, kioskID: header?.kioskID.value, wholeFile: true))
            count += 1
            if run.rejected.count >= Self.recordsPerRun {
                try await session.book(run)
                run = FileBookings(fileID: fileID, at: now)
            }
        }
        if !run.isEmpty { try await session.book(run) }
    }
}
