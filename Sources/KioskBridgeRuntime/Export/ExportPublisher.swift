import Foundation
import KioskBridgeCore
import KioskBridgeFormats
import KioskBridgeStore
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Puts a prepared batch where the debtor reads it, complete or not at all.
///
/// The file is rendered under a temporary name beginning with a dot (which import jobs
/// ignore) in the outbox itself, together with the archive copy, both flushed to disk,
/// and only then renamed into place. A batch published again after a crash is rendered
/// from the same stored lines and so has the same bytes; the rename replaces the first
/// copy if the debtor has not taken it yet.
struct ExportPublisher {
    let store: any BridgeStore
    let archiveRoot: String
    let logger: Logger

    struct Publication {
        let fileName: String
        let outboxPath: String
        let archivePath: String
        let sha256: String
    }

    /// Delivers `batch`; `cycleID` is the cycle doing it (its counts include the file).
    func publish(_ batch: StoredBatch, profile: ExportProfile, at now: Instant, cycleID: RowID) async throws -> Publication {
        let renderer = try profile.renderer()
        // The outbox is the debtor's folder, often a share: if it is gone, an empty local
        // folder made in its place would hide files from the debtor. It must exist.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: profile.outbox, isDirectory: &isFolder), isFolder.boolValue else {
            throw BridgeError.io("the outbox \(profile.outbox) does not exist or is not a folder (is its share mounted?); nothing was written")
        }
        let archiveFolder = archiveRoot + "/exports/" + CopenhagenTime.localDate(at: batch.info.createdAt).description
        try FileSystem.ensureFolder(archiveFolder, mode: 0o700)
        let outboxPath = profile.outbox + "/" + batch.fileName
        let archivePath = archiveFolder + "/" + batch.fileName
        // Temporary names are this process's own: a bridge that lost the lease while paused
        // and wakes up mid-file never writes into the new holder's file. What an earlier
        // holder left of this batch is removed first (it is written again, byte for byte).
        let outboxTemporary = profile.outbox + "/" + Self.temporaryName(of: batch.fileName)
        let archiveTemporary = archiveFolder + "/" + Self.temporaryName(of: batch.fileName)
        Self.removeLeftovers(of: batch.fileName, in: profile.outbox)
        Self.removeLeftovers(of: batch.fileName, in: archiveFolder)

        // The archive copy is renamed into place only after the outbox file: if it is there
        // with the right content, an interrupted run had already delivered this batch, and
        // delivering it again could let the debtor import it twice.
        if FileManager.default.fileExists(atPath: archivePath) {
            let archived = try FileFingerprint.of(ByteSource(path: archivePath)).sha256
            let expected = HashingSink([])
            try await render(batch, with: renderer, into: expected)
            if archived == expected.finalize() {
                try await recordPublished(batch, sha256: archived, outboxPath: outboxPath, archivePath: archivePath, at: now, cycleID: cycleID)
                logger.notice("\(batch.fileName) had been delivered before an interruption; recorded it as published")
                return Publication(fileName: batch.fileName, outboxPath: outboxPath, archivePath: archivePath, sha256: archived)
            }
        }

        do {
            let outboxFile = try DurableFile(path: outboxTemporary, mode: 0o640)
            let archiveFile = try DurableFile(path: archiveTemporary, mode: 0o600)
            let sink = HashingSink([outboxFile, archiveFile])
            try await render(batch, with: renderer, into: sink)
            try outboxFile.finish()
            try archiveFile.finish()
            CrashPoint.afterTemporaryFile.reach()
            try renderer.check(renderedFile: outboxTemporary)
            try FileSystem.move(outboxTemporary, to: outboxPath)
            CrashPoint.afterOutboxRename.reach()
            if profile.doneMarker {
                try FileSystem.writeAtomically("", to: outboxPath + ".done", mode: 0o640)
            }
            try FileSystem.move(archiveTemporary, to: archivePath)
            CrashPoint.afterArchiveRename.reach()
            let sha256 = sink.finalize()
            try await recordPublished(batch, sha256: sha256, outboxPath: outboxPath, archivePath: archivePath, at: now, cycleID: cycleID)
            CrashPoint.afterPublish.reach()
            logger.info("export file written", metadata: [
                "file": "\(batch.fileName)", "profile": "\(profile.name)", "sequence": "\(batch.sequence)",
                "lines": "\(batch.info.lineCount)", "sum": "\(batch.info.sum)",
            ])
            return Publication(fileName: batch.fileName, outboxPath: outboxPath, archivePath: archivePath, sha256: sha256)
        } catch let problem as ExportDocumentError {
            unlink(outboxTemporary)
            unlink(archiveTemporary)
            // Nothing reached the debtor: the batch is given up, its sequence number is free
            // again and its payments stay pending until the cause is fixed.
            let abandoned = try await store.cycle { session in try await session.abandonBatch(batch, reason: problem.message, at: now) }
            throw ExportDocumentError("\(batch.fileName) was not delivered"
                                      + (abandoned ? " and its sequence number is free again" : "")
                                      + ": \(problem.message); its payments stay pending")
        } catch {
            unlink(outboxTemporary)
            unlink(archiveTemporary)
            throw error
        }
    }

    /// Keeps the trail's chain head beside the archived file, then records the batch as
    /// published. The anchor is written first: a crash in between leaves an anchor that
    /// names a real row of the chain, and the rerun, finding the archive copy, writes it
    /// again and records the publication. A published batch never lacks its anchor.
    private func recordPublished(_ batch: StoredBatch, sha256: String, outboxPath: String, archivePath: String, at now: Instant,
                                 cycleID: RowID) async throws {
        let anchor = try await store.audit { try await $0.trailHead() }
        if let anchor { try Self.keepTrailHead(anchor, besideArchived: archivePath, file: batch.fileName) }
        try await store.cycle { session in
            try await session.markPublished(batch: batch, sha256: sha256, outboxPath: outboxPath, archivePath: archivePath, at: now,
                                      cycleID: cycleID, anchor: anchor)
        }
    }

    /// Writes the trail's chain head beside the archived export file, where a rewrite of the
    /// database cannot reach it: `audit verify` checks the trail against it.
    static func keepTrailHead(_ head: TrailHead, besideArchived archivePath: String, file: String) throws {
        try FileSystem.writeAtomically("kioskbridge exported \(file) when the trail ended at \(head)\n",
                                       to: archivePath + ".trail-head", mode: 0o600)
    }

    /// Lines read from the store per call while rendering.
    static let linesPerRun = 5_000

    /// Renders the batch's stored lines: the same batch always gives the same bytes.
    private func render(_ batch: StoredBatch, with renderer: any ExportRendering, into sink: any ExportSink) async throws {
        var info = batch.info
        if renderer.needsEntryTotals {
            var counter = ExportEntryTotals.Counter()
            try await store.export { session in
                try await session.forEachLine(of: batch, chunk: Self.linesPerRun) { lines in
                    for line in lines { counter.add(line) }
                }
            }
            info.entryTotals = counter.finish()
        }
        let document = try renderer.makeWriter(batch: info, sink: sink)
        try await store.export { session in
            try await session.forEachLine(of: batch, chunk: Self.linesPerRun) { lines in
                for line in lines { try document.add(line) }
            }
        }
        try document.finish()
    }
}

extension ExportPublisher {
    /// This process's temporary name for an export file: hidden (a leading dot, which
    /// import jobs skip), and unique to the process.
    static func temporaryName(of fileName: String) -> String {
        "." + fileName + "." + processTag + ".tmp"
    }

    private static let processTag = "\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"

    /// Removes the temporary files an earlier run (or an earlier holder of the lease) left
    /// of `fileName` in `folder`.
    static func removeLeftovers(of fileName: String, in folder: String) {
        let prefix = "." + fileName + "."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where (name.hasPrefix(prefix) && name.hasSuffix(".tmp")) || name == "." + fileName + ".tmp" {
            unlink(folder + "/" + name)
        }
    }
}

extension DurableFile: ExportSink {}
