public import KioskBridgeCore
public import KioskBridgeStore

/// What one `cycle` did: what `cycle --json` prints and the store keeps.
public struct CycleSummary: Sendable {
    public var at: Instant
    public var ingest = IngestSummary()
    public var paymentsAllocated = 0
    /// Booked files this cycle left for the next (a cycle takes up to a million payments).
    public var left = FilesLeft(files: 0, payments: 0)
    public var reversalsCreated = 0
    public var paymentsExported = 0
    public var reversalsExported = 0
    public var surplusPayments = 0
    public var surplusSum = Amount.zero
    public var exportFiles: [String] = []
    public var worklistFiles: [String] = []
    /// In the `fbs` mode, what became of the parts on old fees; nil in the other modes.
    public var fbs: FBSTally?
    public var warnings: [String] = []
    /// Failures that leave work for the next cycle (an unreadable inbox, an export that
    /// could not be written). The command exits 74 when there are any.
    public var errors: [String] = []
    /// The trail's chain head when the cycle ended: printed, so it is kept outside the database.
    public var trailHead: TrailHead?
    /// How long the cycle took, measured on the monotonic clock (for the metrics).
    public var durationMilliseconds: Int?

    public init(at: Instant) {
        self.at = at
    }

    /// The JSON document of cli.md (`cycle --json`), with a few extra keys.
    public var json: JSONValue {
        .object([
            ("cycle_at", .string(Timestamp.format(at))),
            ("files_accepted", .int(ingest.filesAccepted)),
            ("files_rejected", .int(ingest.filesRejected)),
            ("files_duplicate", .int(ingest.filesDuplicate)),
            ("files_waiting", .int(ingest.waiting.count)),
            ("records_rejected", .int(ingest.recordsRejected)),
            ("records_duplicate", .int(ingest.recordsDuplicate)),
            ("payments_booked", .int(ingest.paymentsBooked)),
            ("voids_booked", .int(ingest.voidsBooked)),
            ("payments_allocated", .int(paymentsAllocated)),
            ("files_left_for_next_cycle", .int(left.files)),
            ("payments_left_for_next_cycle", .int(left.payments)),
            ("payments_exported", .int(paymentsExported)),
            ("reversals_exported", .int(reversalsExported)),
            ("surplus_payments", .int(surplusPayments)),
            ("surplus_ore", .int(surplusSum.ore)),
            ("export_files", .array(exportFiles.map(JSONValue.string))),
            ("worklist_files", .array(worklistFiles.map(JSONValue.string))),
            ("fbs", fbs?.json ?? .null),
            ("files", .array(ingest.files.map(\.json))),
            ("warnings", .array(warnings.map(JSONValue.string))),
            ("errors", .array(errors.map(JSONValue.string))),
            ("duration_ms", durationMilliseconds.map(JSONValue.int) ?? .null),
            ("trail_head", trailHead.map { .object([("row", .int(Int($0.rowID))), ("sha256", .string($0.sha256))]) } ?? .null),
        ])
    }
}

extension FileReport {
    var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(name)),
            ("verdict", .string(verdict.rawValue)),
            ("kiosk_id", kioskID.map(JSONValue.string) ?? .null),
            ("sequence", sequence.map(JSONValue.int) ?? .null),
            ("records", .int(records)),
            ("payments_booked", .int(tally.paymentsBooked)),
            ("voids_booked", .int(tally.voidsBooked)),
            ("records_rejected", .int(tally.recordsRejected)),
            ("records_duplicate", .int(tally.recordsDuplicate)),
            ("reason", reason.map(JSONValue.string) ?? .null),
        ]
        if !recordProblems.isEmpty { fields.append(("record_problems", .array(recordProblems.map(JSONValue.string)))) }
        if recordProblemsOmitted > 0 { fields.append(("record_problems_not_listed", .int(recordProblemsOmitted))) }
        return .object(fields)
    }
}
