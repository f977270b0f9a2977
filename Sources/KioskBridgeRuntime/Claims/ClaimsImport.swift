import Foundation
public import KioskBridgeCore
import KioskBridgeFormats
public import KioskBridgeStore
public import Logging

/// What loading a snapshot did.
public struct ClaimsImportResult: Sendable {
    public let snapshot: StoredSnapshot
    public let replaced: StoredSnapshot?
    public let payableInFBS: Int

    public var json: JSONValue {
        .object([
            ("file", .string(snapshot.fileName)),
            ("source", .string(snapshot.source.rawValue)),
            ("as_of", .string(Timestamp.format(snapshot.asOf))),
            ("claims", .int(snapshot.claims)),
            ("claims_payable_in_fbs", .int(payableInFBS)),
            ("outstanding_ore", .int(snapshot.outstanding.ore)),
            ("applied_payments", .int(snapshot.appliedRecords)),
            ("replaced_as_of", replaced.map { .string(Timestamp.format($0.asOf)) } ?? .null),
        ])
    }
}

/// `claims import FILE`: replaces the claims of the snapshot's source, all or nothing.
///
/// An invalid record or a trailer that does not match refuses the whole file (exit 65)
/// and leaves the loaded snapshot as it was. A snapshot older than the loaded one of the
/// same source is refused: loading last night's file after this morning's must not bring
/// paid claims back. The same as-of time replaces (loading twice is harmless).
public struct ClaimsImport {
    let store: any BridgeStore
    let logger: Logger
    /// Claim ids the configured exports cannot carry refuse the snapshot.
    let limits: IdentifierLimits
    /// An `as of` in the future (beyond `[intake] clock_skew_minutes`) refuses the snapshot.
    let plausibility: PlausibilityRules

    public init(store: any BridgeStore, logger: Logger, limits: IdentifierLimits = .kioskFormat,
                plausibility: PlausibilityRules = PlausibilityRules()) {
        self.store = store
        self.logger = logger
        self.limits = limits
        self.plausibility = plausibility
    }

    public func run(path: String, at now: Instant) throws -> ClaimsImportResult {
        let name = (path as NSString).lastPathComponent
        let fingerprint: FileFingerprint
        do {
            fingerprint = try FileFingerprint.of(ByteSource(path: path))
        } catch {
            throw BridgeError.io(error.description)
        }
        do {
            return try store.claims { session in
                let reader = ClaimsSnapshotReader(source: try ByteSource(path: path), encoding: fingerprint.encoding)
                let header = try reader.readHeader()
                if let problem = plausibility.checkAsOf(header.asOf, now: now, line: 1) { throw problem }
                let current = try session.currentSnapshot(source: header.source)
                if case .refuseOlder(let loaded) = SnapshotReplacement.judge(incoming: header, loadedAsOf: current?.asOf) {
                    throw BridgeError.invalidInput(
                        "\(path): refused: this \(header.source.rawValue) snapshot is as of \(Timestamp.format(header.asOf)), older than the loaded one as of \(Timestamp.format(loaded)) (\(current?.fileName ?? "")); nothing changed")
                }
                try session.beginReplacing(header)
                var claims = 0
                var fbs = 0
                var outstanding = Amount.zero
                var applied = 0
                while let entry = try reader.next() {
                    switch entry {
                    case .claim(let claim, let line):
                        if let issue = limits.problem(claim.id, limit: limits.claimID) {
                            throw IntakeProblem(.invalidValue, line: line, field: RecordField.Snapshot.claimID, found: claim.id, expected: issue)
                        }
                        guard try session.insertClaim(claim) else {
                            throw IntakeProblem(.invalidValue, line: line, field: RecordField.Snapshot.claimID, found: claim.id,
                                                expected: "a claim id not listed before in this snapshot")
                        }
                        claims += 1
                        if claim.payableIn == .fbs { fbs += 1 }
                        outstanding += claim.outstanding
                    case .applied(let transaction, _):
                        try session.insertApplied(transaction, source: header.source)
                        applied += 1
                    }
                }
                let snapshot = StoredSnapshot(source: header.source, asOf: header.asOf, loadedAt: now, fileName: name,
                                              claims: claims, outstanding: outstanding, appliedRecords: applied)
                try session.finishReplacing(snapshot, sha256: fingerprint.sha256, at: now)
                logger.info("claims snapshot loaded", metadata: [
                    "file": "\(name)", "source": "\(header.source.rawValue)", "as_of": "\(Timestamp.format(header.asOf))",
                    "claims": "\(claims)", "outstanding": "\(outstanding)", "applied": "\(applied)",
                ])
                return ClaimsImportResult(snapshot: snapshot, replaced: current, payableInFBS: fbs)
            }
        } catch let problem as IntakeProblem {
            throw BridgeError.invalidInput("\(path): refused as a whole, nothing changed: \(problem.description)")
        } catch let error as FileAccessError {
            throw BridgeError.io(error.description)
        }
    }
}
