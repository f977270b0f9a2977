import Foundation
public import KioskBridgeCore
public import KioskBridgeStore
public import Logging

/// `cycle`: what cron or a systemd timer runs every 20 minutes.
///
/// 1. Publish any batch an interrupted cycle committed but did not confirm, with the
///    same bytes.
/// 2. Take in the inbox.
/// 3. Allocate: reversals first (they give amounts back), then every pending payment,
///    oldest claim first, in one transaction.
/// 4. For each export series: commit the next batch (the lines are fixed from then on),
///    write the file, confirm it. A failing series does not hold up the others; its
///    payments stay pending for it and go out next cycle.
public struct CycleRun: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger
    let ingest: IngestRun

    /// Payers whose claims are fetched in one store round trip during allocation.
    static let payersPerRound = 2000

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger, ingest: IngestRun) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.ingest = ingest
    }

    public func run(at now: Instant, settled: [InboxEntry]? = nil) throws -> CycleSummary {
        var summary = CycleSummary(at: now)
        let started = ContinuousClock.now
        var timer = StepTimer(logger: logger, label: "cycle")
        let publisher = ExportPublisher(store: store, archiveRoot: configuration.paths.archive, logger: logger)
        let profiles = configuration.allSeries
        let cycleID = try store.cycle { try $0.startCycle(at: now, command: "cycle") }

        // 1. Batches committed by an interrupted cycle. A series whose batch still cannot be
        //    published gets no new batch this cycle: the debtor receives them in order.
        for batch in try store.cycle({ try $0.preparedBatches() }) {
            guard let profile = profiles.first(where: { $0.name == batch.series }) else {
                summary.errors.append("batch \(batch.fileName) of export series \(batch.series) waits to be published, but no [[export]] table is named \(batch.series) any more")
                continue
            }
            do {
                let publication = try publisher.publish(batch, profile: profile, at: now, cycleID: cycleID)
                record(publication.fileName, of: profile, in: &summary)
                logger.notice("published \(batch.fileName) again after an interrupted cycle (same bytes)")
            } catch {
                summary.errors.append("export \(profile.name): \(batch.fileName) could not be published: \(Self.describe(error)); it will be published next cycle")
            }
        }

        let waiting = Dictionary(try store.cycle { try $0.preparedBatches() }.map { ($0.series, $0.fileName) },
                                 uniquingKeysWith: { first, _ in first })
        // Every series is known before any batch is prepared: a profile added to the
        // configuration starts after what was exported before this cycle, and gets this
        // cycle's payments like the others.
        try store.cycle { session in
            for profile in profiles { try session.registerSeries(profile.series, at: now) }
        }

        timer.step("publishing interrupted batches")

        // 2. Intake.
        do {
            summary.ingest = try ingest.run(at: now, settled: settled)
            summary.warnings += summary.ingest.warnings
        } catch let error as BridgeError {
            summary.errors.append(error.description)
            logger.error("\(error.description)")
        }

        timer.step("intake")

        // 3. Allocation.
        let allocator = Allocator(fbsClaims: configuration.fbsClaims)
        try store.cycle { session in
            summary.reversalsCreated = try session.createPendingReversals(cycleID: cycleID, at: now)
            let evidence = Dictionary(try session.snapshots().map {
                ($0.source, EffectiveOutstanding.SnapshotEvidence(asOf: $0.asOf, hasAppliedRecords: $0.appliedRecords > 0))
            }, uniquingKeysWith: { first, _ in first })
            try session.forEachPendingGroup(payersPerRound: Self.payersPerRound) { group in
                var claims = allocator.eligible(group.claims.map { item in
                    let snapshot = evidence[item.claim.source] ?? .init(asOf: now, hasAppliedRecords: false)
                    return AllocatableClaim(id: item.claim.id, createdOn: item.claim.createdOn, dueOn: item.claim.dueOn,
                                            payableIn: item.claim.payableIn,
                                            remaining: EffectiveOutstanding.amount(outstanding: item.claim.outstanding,
                                                                                   parts: item.bridgeParts, snapshot: snapshot))
                })
                for payment in group.payments.sorted(by: { $0.key < $1.key }) {
                    let parts = allocator.allocate(payment.amount, over: &claims)
                    try session.recordAllocation(payment: payment, parts: parts, cycleID: cycleID, at: now)
                    summary.paymentsAllocated += 1
                }
            }
            try session.finishAllocation(cycleID: cycleID, at: now)
        }
        CrashPoint.afterAllocation.reach()
        timer.step("allocation")

        // 4. Export. Every series' next batch is committed in one transaction, then the files
        //    are written one by one: a crash between two files leaves the others' batches
        //    committed with the same payments, and they go out first thing next cycle, before
        //    anything (such as the void of one of those payments) can come between.
        let active = profiles.filter { profile in
            guard let earlier = waiting[profile.name] else { return true }
            logger.warning("export \(profile.name): no new file while \(earlier) waits to be published")
            return false
        }
        var batches: [(profile: ExportProfile, batch: StoredBatch)] = []
        do {
            batches = try store.cycle { session in
                try active.compactMap { profile in
                    try session.prepareBatch(series: profile.series, createdAt: now, cycleID: cycleID, includeEmpty: profile.emptyFiles)
                        .map { (profile, $0) }
                }
            }
        } catch {
            summary.errors.append("export failed: \(Self.describe(error)); the payments stay pending and are exported next cycle")
            logger.error("export failed: \(Self.describe(error))")
        }
        timer.step("preparing the batches")
        for (profile, batch) in batches {
            CrashPoint.afterPrepare.reach()
            do {
                let publication = try publisher.publish(batch, profile: profile, at: now, cycleID: cycleID)
                record(publication.fileName, of: profile, in: &summary)
                timer.step("export \(profile.name)")
            } catch {
                summary.errors.append("export \(profile.name) failed: \(Self.describe(error)); its payments stay pending and are exported next cycle")
                logger.error("export \(profile.name) failed: \(Self.describe(error))")
            }
        }

        let counts = try store.cycle { try $0.exportedCounts(cycleID: cycleID) }
        timer.step("counting what was exported")
        summary.paymentsExported = counts.payments
        summary.reversalsExported = counts.reversals
        summary.surplusPayments = counts.surplusPayments
        summary.surplusSum = counts.surplusSum
        if counts.surplusPayments > 0 {
            summary.warnings.append("\(counts.surplusPayments) payment(s) exported with a surplus of \(counts.surplusSum.danishText) in all (unallocated, on the payers' accounts)")
        }
        summary.warnings += try snapshotWarnings(at: now)

        summary.trailHead = try store.read { try $0.trailHead() }
        let elapsed = ContinuousClock.now - started
        summary.durationMilliseconds = elapsed.wholeMilliseconds
        let result = summary.errors.isEmpty ? "ok" : "error"
        try store.cycle { try $0.finishCycle(id: cycleID, at: now, result: result, summaryJSON: summary.json.rendered(pretty: false)) }
        timer.step("snapshot warnings and trail head")
        try Reconciliation.closeDays(before: now, store: store)
        timer.step("closing finished days")
        do {
            try AlertNotifier(configuration: configuration, store: store, logger: logger).check(at: now)
        } catch {
            logger.error("the status could not be evaluated for alerting: \(Self.describe(error))")
        }
        timer.step("status and alerts")
        logger.info("cycle done", metadata: [
            "files_accepted": "\(summary.ingest.filesAccepted)", "files_rejected": "\(summary.ingest.filesRejected)",
            "files_duplicate": "\(summary.ingest.filesDuplicate)", "records_rejected": "\(summary.ingest.recordsRejected)",
            "payments_exported": "\(summary.paymentsExported)", "reversals_exported": "\(summary.reversalsExported)",
            "surplus_payments": "\(summary.surplusPayments)",
            "trail_head": "\(summary.trailHead?.description ?? "none")",
            "files_written": "\((summary.exportFiles + summary.worklistFiles).joined(separator: ","))",
        ])
        for warning in summary.warnings { logger.warning("\(warning)") }
        return summary
    }

    private func record(_ fileName: String, of profile: ExportProfile, in summary: inout CycleSummary) {
        if profile.isWorklist {
            summary.worklistFiles.append(fileName)
        } else {
            summary.exportFiles.append(fileName)
        }
    }

    /// Warnings about the claims snapshots: none loaded, or the newest one too old.
    func snapshotWarnings(at now: Instant) throws -> [String] {
        let snapshots = try store.read { try $0.snapshots() }
        guard let newest = snapshots.max(by: { $0.asOf < $1.asOf }) else {
            return ["no claims snapshot is loaded: payments are exported as surplus (the debtor applies them oldest first itself)"]
        }
        let ageHours = (now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch) / 3_600_000
        if now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch > configuration.staleAfterHours * 3_600_000 {
            return ["the newest claims snapshot (\(newest.source.rawValue), as of \(Timestamp.format(newest.asOf))) is \(ageHours) hours old, more than [claims] stale_after_hours = \(configuration.staleAfterHours)"]
        }
        return []
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? BridgeError { return error.description }
        if StoreErrorDescription.isStoreError(error) { return StoreErrorDescription.describe(error) }
        return String(describing: error)
    }
}
