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
    /// The exports this DEBTOR snapshot was the first to reflect.
    public let confirmed: ConfirmationTally

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
            ("confirmed_payments", .int(confirmed.payments)),
            ("confirmed_reversals", .int(confirmed.reversals)),
            ("confirmed_ore", .int(confirmed.sum.ore)),
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

    /// Claims handed to the store per call.
    static let claimsPerRun = 5_000

    public func run(path: String, at now: Instant) async throws -> ClaimsImportResult {
        let name = (path as NSString).lastPathComponent
        let fingerprint: FileFingerprint
        do {
            fingerprint = try FileFingerprint.of(ByteSource(path: path))
        } catch {
            throw BridgeError.io(error.description)
        }
        do {
            return try await store.claims { session in
                try await load(path: path, name: name, fingerprint: fingerprint, at: now, in: session)
            }
        } catch let problem as IntakeProblem {
            throw BridgeError.invalidInput("\(path): refused as a whole, nothing changed: \(problem.description)")
        } catch let error as FileAccessError {
            throw BridgeError.io(error.description)
        }
    }

    private func load(path: String, name: String, fingerprint: FileFingerprint, at now: Instant,
                      in session: any ClaimsSession) async throws -> ClaimsImportResult {
        let reader = ClaimsSnapshotReader(source: try ByteSource(path: path), encoding: fingerprint.encoding)
        let header = try reader.readHeader()
        if let problem = plausibility.checkAsOf(header.asOf, now: now, line: 1) { throw problem }
        let current = try await session.currentSnapshot(source: header.source)
        if case .refuseOlder(let loaded) = SnapshotReplacement.judge(incoming: header, loadedAsOf: current?.asOf) {
            throw BridgeError.invalidInput(
                "\(path): refused: this \(header.source.rawValue) snapshot is as of \(Timestamp.format(header.asOf)), older than the loaded one as of \(Timestamp.format(loaded)) (\(current?.fileName ?? "")); nothing changed")
        }
        try await session.beginReplacing(header)
        var counts = (claims: 0, fbs: 0, outstanding: Amount.zero, applied: 0)
        var claims: [SnapshotClaim] = []
        var applied: [AppliedTransaction] = []
        func flush() async throws {
            if !claims.isEmpty { try await session.insertClaims(claims) }
            if !applied.isEmpty { try await session.insertApplied(applied, source: header.source) }
            claims.removeAll(keepingCapacity: true)
            applied.removeAll(keepingCapacity: true)
        }
        while let entry = try reader.next() {
            switch entry {
            case .claim(let claim, let line):
                if let issue = limits.problem(claim.id, limit: limits.claimID) {
                    throw IntakeProblem(.invalidValue, line: line, field: RecordField.Snapshot.claimID, found: claim.id, expected: issue)
                }
                claims.append(SnapshotClaim(claim: claim, line: line))
                counts.claims += 1
                if claim.payableIn == .fbs { counts.fbs += 1 }
                counts.outstanding += claim.outstanding
            case .applied(let transaction, _):
                applied.append(transaction)
                counts.applied += 1
            }
            if claims.count + applied.count >= Self.claimsPerRun { try await flush() }
        }
        try await flush()
        let snapshot = StoredSnapshot(source: header.source, asOf: header.asOf, loadedAt: now, fileName: name,
                                      claims: counts.claims, outstanding: counts.outstanding, appliedRecords: counts.applied)
        if let repeated = try await session.finishReplacing(snapshot, sha256: fingerprint.sha256, at: now) {
            throw IntakeProblem(.invalidValue, line: repeated.line, field: RecordField.Snapshot.claimID, found: repeated.claim.id,
                                expected: "a claim id not listed before in this snapshot")
        }
        let confirmed = try await session.confirmExports(by: snapshot, at: now)
        logger.info("claims snapshot loaded", metadata: [
            "file": "\(name)", "source": "\(header.source.rawValue)", "as_of": "\(Timestamp.format(header.asOf))",
            "claims": "\(counts.claims)", "outstanding": "\(counts.outstanding)", "applied": "\(counts.applied)",
            "confirmed_payments": "\(confirmed.payments)", "confirmed_reversals": "\(confirmed.reversals)",
        ])
        return ClaimsImportResult(snapshot: snapshot, replaced: current, payableInFBS: counts.fbs, confirmed: confirmed)
    }
}
