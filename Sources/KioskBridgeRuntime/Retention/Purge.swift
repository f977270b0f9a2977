import Crypto
import Foundation
public import KioskBridgeCore
public import KioskBridgeStore
public import Logging
#if canImport(Glibc)
import Glibc
#endif

/// What `purge` did (or would do, with `--dry-run`).
public struct PurgeReport: Sendable {
    public let before: LocalDate
    public let keepFrom: LocalDate
    public let result: PurgeResult
    public let filesDeleted: Int
    public let dryRun: Bool

    public var json: JSONValue {
        .object([("before", .string(before.description)), ("keep_from", .string(keepFrom.description)),
                 ("payments_pseudonymised", .int(result.payments)), ("rejected_records_pseudonymised", .int(result.rejectedRecords)),
                 ("till_records_pseudonymised", .int(result.tillRecords)),
                 ("files_deleted", .int(filesDeleted)), ("dry_run", .bool(dryRun))])
    }

    public var text: String {
        (dryRun ? "Would pseudonymise" : "Pseudonymised") + " the CPR numbers of \(result.payments) payment(s), \(result.rejectedRecords) refused record(s) and \(result.tillRecords) till record(s) from before \(before), and "
            + (dryRun ? "would delete" : "deleted") + " \(filesDeleted) archived or refused file(s). Records from \(keepFrom) on are kept.\n"
    }
}

/// `purge --before DATE`: personal data kept no longer than the law requires.
///
/// CPR numbers of payments exported before DATE (and of records refused before it) are
/// replaced with a keyed hash: the same person gets the same pseudonym, so old figures can
/// still be grouped, but the number cannot be read back without the key. Amounts, ids,
/// exports and the trail (which never holds a CPR number) stay as they are, so totals and
/// the hash chain remain valid. Archived kiosk files, refused files and archive copies of
/// exports from before DATE are deleted. DATE may not be later than what the retention
/// period allows.
public struct Purge: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    public func run(before date: LocalDate, at now: Instant, dryRun: Bool) async throws -> PurgeReport {
        let keepFrom = configuration.retention.keepFrom(today: CopenhagenTime.localDate(at: now))
        guard date <= keepFrom else {
            throw BridgeError.configuration(
                "--before \(date): records from \(keepFrom) on must still be kept ([retention] years = \(configuration.retention.years) after the end of the financial year); give \(keepFrom) or earlier")
        }
        let cutoff = CopenhagenTime.startOfDay(date)
        let key = try dryRun ? [UInt8](repeating: 0, count: 32) : pseudonymKey()
        let (result, files) = try await store.purge { session in
            let result = try await session.pseudonymise(before: cutoff, pseudonym: { Self.pseudonym(of: $0, key: key) }, at: now)
            let files = try await session.purgeableFiles(before: cutoff)
            if dryRun { throw DryRun(result: result, files: files) }
            try await session.notePurge("before \(date): \(result.payments) payments, \(result.rejectedRecords) refused records and \(result.tillRecords) till records pseudonymised; \(files.kioskFiles.count + files.exportCopies.count) files deleted", at: now)
            return (result, files)
        }
        var deleted = 0
        for path in files.kioskFiles + files.exportCopies {
            for candidate in [path, path + ".reason.txt", path + ".rejected-records.txt"] where unlink(candidate) == 0 {
                if candidate == path { deleted += 1 }
            }
        }
        logger.notice("purged personal data from before \(date)", metadata: [
            "payments": "\(result.payments)", "records": "\(result.rejectedRecords)", "files": "\(deleted)",
        ])
        return PurgeReport(before: date, keepFrom: keepFrom, result: result, filesDeleted: deleted, dryRun: false)
    }

    /// Rolls the transaction back after counting, for `--dry-run`.
    struct DryRun: Error {
        let result: PurgeResult
        let files: PurgeableFiles
    }

    public func dryRun(before date: LocalDate, at now: Instant) async throws -> PurgeReport {
        do {
            return try await run(before: date, at: now, dryRun: true)
        } catch let dry as DryRun {
            let keepFrom = configuration.retention.keepFrom(today: CopenhagenTime.localDate(at: now))
            return PurgeReport(before: date, keepFrom: keepFrom, result: dry.result,
                               filesDeleted: dry.files.kioskFiles.count + dry.files.exportCopies.count, dryRun: true)
        }
    }

    /// `P:` and the first 20 hex digits of HMAC-SHA256(key, number).
    static func pseudonym(of value: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: SymmetricKey(data: key))
        let digits = Array("0123456789abcdef".utf8)
        return "P:" + String(decoding: Array(mac).prefix(10).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// The key, made (32 random bytes, owner-only) the first time it is needed.
    func pseudonymKey() throws -> [UInt8] {
        let path = configuration.pseudonymKeyFile
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 32 else { throw BridgeError.configuration("\(path): the pseudonym key is shorter than 32 bytes") }
            return [UInt8](data)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) }
        let file = try DurableFile(path: path, mode: 0o600)
        try file.write(key)
        try file.finish()
        logger.notice("made a new pseudonym key in \(path); keep it with the backups")
        return key
    }
}
