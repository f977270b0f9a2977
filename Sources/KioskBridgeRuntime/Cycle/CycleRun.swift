import Foundation
public import KioskBridgeCore
import KioskBridgeFBS
public import KioskBridgeStore
public import Logging

/// `cycle`: what cron or a systemd timer runs every 20 minutes.
///
/// 1. Publish any batch an interrupted cycle committed but did not confirm, with the
///    same bytes.
/// 2. Take in the inbox.
/// 3. Allocate: reversals first (they give amounts back), then the pending payments
///    (whole files, up to a million payments), oldest claim first, in one transaction, a
///    round of payers at a time.
/// 4. For each export series: commit the next batch (the lines are fixed from then on),
///    write the file, confirm it. A failing series does not hold up the others; its
///    payments stay pending for it and go out next cycle.
/// 5. With `fbs_claims = "fbs"`: register in FBS the old fees paid in full. FBS was asked
///    for the payers' fees before step 3; whether it answers or not, the debtor export
///    goes out first.
public struct CycleRun: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger
    let ingest: IngestRun

    /// Payers whose claims are fetched in one store round trip during allocation.
    static let payersPerRound = 2000
    /// Payments allocated in memory at once: a payer with more in one cycle (a broken or
    /// hostile kiosk file of two million payments by one payer, say) goes on in the next
    /// round, so a cycle's memory does not grow with one payer's payments.
    static let paymentsPerRound = 20_000
    /// `paymentsPerRound`, smaller in tests that cut a payer's payments over rounds.
    var roundPayments = CycleRun.paymentsPerRound
    /// Payments one cycle allocates and exports, in whole files (`PendingFiles`): a backlog
    /// of millions goes out over several cycles, each within PostgreSQL's statement
    /// timeout, instead of one cycle that can never finish. A day's kiosk traffic of a
    /// municipality is some thousands.
    static let paymentsPerCycle = 1_000_000
    /// `paymentsPerCycle`, smaller in tests.
    var cyclePayments = CycleRun.paymentsPerCycle

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger, ingest: IngestRun) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
        self.ingest = ingest
    }

    /// Payments booked and allocated in one cycle from which the database's statistics are
    /// refreshed at its end: PostgreSQL's own autovacuum comes minutes later, and until then a
    /// receipt lookup on a day of a million new payments took 200 ms instead of a few.
    static let rowsWorthNewStatistics = 100_000

    public func run(at now: Instant, settled: [InboxEntry]? = nil) async throws -> CycleSummary {
        var summary = CycleSummary(at: now)
        let fbs = fbsClient(into: &summary)
        do {
            let result = try await run(at: now, settled: settled, fbs: fbs, summary: summary)
            await fbs?.shutdown()
            return result
        } catch {
            await fbs?.shutdown()
            throw error
        }
    }

    /// The FBS client of the `fbs` mode; nil in the others, or when its credentials cannot
    /// be read (then the old-fee parts wait, and the rest of the cycle runs).
    private func fbsClient(into summary: inout CycleSummary) -> FBSHTTPClient? {
        guard configuration.fbsClaims == .fbs, let settings = configuration.fbs else { return nil }
        summary.fbs = FBSTally()
        do {
            return try FBSHTTPClient(configuration: settings.service, logger: logger)
        } catch {
            summary.errors.append("FBS: \(error.description); the parts on old fees wait for the next cycle")
            return nil
        }
    }

    private func run(at now: Instant, settled: [InboxEntry]?, fbs: (any FBSService)?, summary start: CycleSummary) async throws -> CycleSummary {
        var summary = start
        let started = ContinuousClock.now
        var timer = StepTimer(logger: logger, label: "cycle")
        let publisher = ExportPublisher(store: store, archiveRoot: configuration.paths.archive, logger: logger)
        let cycleID = try await store.cycle { try await $0.startCycle(at: now, command: "cycle") }

        let waiting = try await publishInterrupted(publisher, cycleID: cycleID, at: now, into: &summary)
        timer.step("publishing interrupted batches")

        do {
            summary.ingest = try await ingest.run(at: now, settled: settled)
            summary.warnings += summary.ingest.warnings
        } catch let error as BridgeError {
            summary.errors.append(error.description)
            logger.error("\(error.description)")
        }
        timer.step("intake")

        var live = LiveFees()
        if let fbs {
            let payers = try await store.cycle { try await $0.pendingCPRPayers() }
            live = await LiveFees.fetch(payers: payers, from: fbs, logger: logger)
            summary.fbs?.payersAsked = live.byPayer.count
            if let problem = live.problem { summary.warnings.append(problem) }
            timer.step("asking FBS for the payers' fees")
        }

        try await allocate(cycleID: cycleID, at: now, live: live, into: &summary)
        CrashPoint.afterAllocation.reach()
        timer.step("allocation")

        try await export(publisher, cycleID: cycleID, waiting: waiting, at: now, into: &summary, timer: &timer)
        if let fbs, var tally = summary.fbs {
            if let problem = try await FBSRegistration(store: store, service: fbs, logger: logger).run(live: live, at: now, into: &tally) {
                summary.warnings.append(problem)
            }
            summary.fbs = tally
            timer.step("registering old fees in FBS")
        }
        if summary.ingest.paymentsBooked + summary.paymentsAllocated >= Self.rowsWorthNewStatistics {
            do {
                try await store.refreshStatistics()
            } catch {
                logger.warning("the database's statistics could not be brought up to date: \(BridgeError.describing(error))")
            }
            timer.step("refreshing the database's statistics")
        }

        let counts = try await store.cycle { try await $0.exportedCounts(cycleID: cycleID) }
        timer.step("counting what was exported")
        summary.record(counts)
        summary.warnings += try await snapshotWarnings(at: now)

        summary.trailHead = try await store.audit { try await $0.trailHead() }
        summary.durationMilliseconds = (ContinuousClock.now - started).wholeMilliseconds
        let result = summary.errors.isEmpty ? "ok" : "error"
        let json = summary.json.rendered(pretty: false)
        try await store.cycle { try await $0.finishCycle(id: cycleID, at: now, result: result, summaryJSON: json) }
        timer.step("snapshot warnings and trail head")
        try await Reconciliation.closeDays(before: now, store: store)
        timer.step("closing finished days")
        do {
            try await AlertNotifier(configuration: configuration, store: store, logger: logger).check(at: now)
        } catch {
            logger.error("the status could not be evaluated for alerting: \(BridgeError.describing(error))")
        }
        timer.step("status and alerts")
        log(summary)
        return summary
    }

    /// Step 1: batches committed by an interrupted cycle, delivered with the same bytes.
    /// Returns the file still waiting per series: a series whose batch still cannot be
    /// published gets no new batch this cycle, so the debtor receives them in order. Every
    /// series is registered here too, before any batch is prepared: a profile added to the
    /// configuration starts after what was exported before this cycle, and gets this
    /// cycle's payments like the others.
    private func publishInterrupted(_ publisher: ExportPublisher, cycleID: RowID, at now: Instant,
                                    into summary: inout CycleSummary) async throws -> [String: String] {
        let profiles = configuration.allSeries
        for batch in try await store.cycle({ try await $0.preparedBatches() }) {
            guard let profile = profiles.first(where: { $0.name == batch.series }) else {
                summary.errors.append("batch \(batch.fileName) of export series \(batch.series) waits to be published, but no [[export]] table is named \(batch.series) any more")
                continue
            }
            do {
                let publication = try await publisher.publish(batch, profile: profile, at: now, cycleID: cycleID)
                summary.recordFile(publication.fileName, worklist: profile.isWorklist)
                logger.notice("published \(batch.fileName) again after an interrupted cycle (same bytes)")
            } catch {
                try BridgeError.rethrowIfFenced(error)
                summary.errors.append("export \(profile.name): \(batch.fileName) could not be published: \(BridgeError.describing(error)); it will be published next cycle")
            }
        }
        let waiting = Dictionary(try await store.cycle { try await $0.preparedBatches() }.map { ($0.series, $0.fileName) },
                                 uniquingKeysWith: { first, _ in first })
        try await store.cycle { session in
            for profile in profiles { try await session.registerSeries(profile.series, at: now) }
        }
        return waiting
    }

    /// Step 3: reversals, then the pending payments oldest claim first, in one transaction.
    /// Parts on old fees that are to go to the worklist join this cycle's worklist first.
    private func allocate(cycleID: RowID, at now: Instant, live: LiveFees, into summary: inout CycleSummary) async throws {
        let allocator = Allocator(fbsClaims: configuration.fbsClaims)
        let settings = configuration.fbsClaims == .fbs ? configuration.fbs : nil
        let (reversals, allocated, handedOver, left) = try await store.cycle { session -> (Int, Int, Int, FilesLeft) in
            let reversals = try await session.createPendingReversals(cycleID: cycleID, at: now)
            let handedOver = try await handOver(session, cycleID: cycleID, at: now)
            var fbs: FBSAllocation?
            if let settings {
                fbs = FBSAllocation(live: live, settings: settings,
                                    unreflected: try await session.unreflectedFBSParts(feeIDs: FBSAllocation.feeIDs(of: live)))
            }
            let evidence = Dictionary(try await session.snapshots().map {
                ($0.source, EffectiveOutstanding.SnapshotEvidence(asOf: $0.asOf, hasAppliedRecords: $0.appliedRecords > 0))
            }, uniquingKeysWith: { first, _ in first })
            var allocated = 0
            let rounds = try await session.pendingPayments(payersPerRound: Self.payersPerRound, paymentsPerRound: roundPayments,
                                                           paymentsPerCycle: cyclePayments)
            // The claims the last group left, for a group that goes on in the next round.
            var claimsLeft: [AllocatableClaim] = []
            while let round = try await rounds.next() {
                var allocations: [PaymentAllocation] = []
                for group in round {
                    let done = Self.allocate(group, with: allocator, evidence: evidence, fbs: fbs,
                                             over: group.continuesEarlier ? claimsLeft : nil, at: now)
                    allocations += done.allocations
                    claimsLeft = done.claimsLeft
                }
                try await session.recordAllocations(allocations, cycleID: cycleID, at: now)
                allocated += allocations.count
            }
            try await session.finishAllocation(cycleID: cycleID, at: now)
            return (reversals, allocated, handedOver, rounds.left)
        }
        summary.reversalsCreated = reversals
        summary.paymentsAllocated = allocated
        summary.fbs?.handedOver = handedOver
        summary.left = left
        if left.files > 0 {
            summary.warnings.append("\(left.payments) payment(s) in \(left.files) booked file(s) wait for the next cycle: a cycle allocates and exports whole files up to \(cyclePayments) payments (run `kioskbridge cycle` again to take them sooner)")
        }
    }

    /// Parts on old fees that FBS answered for with a refund or a refusal, or did not
    /// answer for within `[fbs] give_up_after_hours`, into this cycle's worklist run. Out of
    /// the `fbs` mode nothing more is sent to FBS: every part still waiting goes too.
    private func handOver(_ session: any CycleSession, cycleID: RowID, at now: Instant) async throws -> Int {
        if configuration.fbsClaims == .fbs, let settings = configuration.fbs {
            let hours = settings.giveUpAfterHours
            return try await session.handOverFBSParts(
                cycleID: cycleID, at: now, givingUpBefore: Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch - hours * 3_600_000),
                reason: "FBS could not register it within [fbs] give_up_after_hours = \(hours)")
        }
        return try await session.handOverFBSParts(cycleID: cycleID, at: now, givingUpBefore: Instant(millisecondsSinceEpoch: Int.max),
                                                  reason: "[allocation] fbs_claims is no longer \"fbs\": staff register it in FBS")
    }

    /// One payer's payments of one claim type over that payer's claims, in the order paid.
    static func allocate(_ group: PendingGroup, with allocator: Allocator,
                         evidence: [ClaimSource: EffectiveOutstanding.SnapshotEvidence], fbs: FBSAllocation? = nil,
                         at now: Instant) -> [PaymentAllocation] {
        allocate(group, with: allocator, evidence: evidence, fbs: fbs, over: nil, at: now).allocations
    }

    /// The same, over `carried` claims when given (the group goes on with the payments of
    /// the round before); returns the claims as the payments left them.
    static func allocate(_ group: PendingGroup, with allocator: Allocator,
                         evidence: [ClaimSource: EffectiveOutstanding.SnapshotEvidence], fbs: FBSAllocation?,
                         over carried: [AllocatableClaim]?, at now: Instant) -> (allocations: [PaymentAllocation], claimsLeft: [AllocatableClaim]) {
        var claims = carried ?? allocator.eligible(claims(of: group, evidence: evidence, fbs: fbs, at: now))
        let allocations = Self.merged(group.payments).sorted(by: { $0.key < $1.key }).map { payment in
            // A part FBS would not take is allocated again: a negative part on its fee beside
            // the new parts keeps the payment's parts adding up to the payment.
            let returned = payment.reallocating.map { AllocationPart(kind: .reversal, claimID: $0.feeID, channel: .fbs, amount: -$0.amount) }
            let parts = returned + allocator.allocate(payment.amount, over: &claims)
            var plans = fbs?.plans(for: parts, payer: group.payer) ?? [:]
            for index in returned.indices {
                plans[index + 1] = FBSPartPlan(state: .released, feeAmount: nil, reason: "FBS would not take it: allocated again")
            }
            return PaymentAllocation(payment: payment, parts: parts, fbs: plans)
        }
        return (allocations, claims)
    }

    /// The group's claims with what remains of each, and in the `fbs` mode FBS's live fees.
    private static func claims(of group: PendingGroup, evidence: [ClaimSource: EffectiveOutstanding.SnapshotEvidence],
                               fbs: FBSAllocation?, at now: Instant) -> [AllocatableClaim] {
        let snapshotClaims = group.claims.map { item in
            let snapshot = evidence[item.claim.source] ?? .init(asOf: now, hasAppliedRecords: false)
            return AllocatableClaim(id: item.claim.id, createdOn: item.claim.createdOn, dueOn: item.claim.dueOn,
                                    payableIn: item.claim.payableIn,
                                    remaining: EffectiveOutstanding.amount(outstanding: item.claim.outstanding,
                                                                           parts: item.bridgeParts, snapshot: snapshot))
        }
        return fbs?.claims(of: group, snapshotClaims: snapshotClaims) ?? snapshotClaims
    }

    /// One pending payment per payment: the parts of one payment that FBS would not take
    /// (one row each from the store) are allocated again together.
    static func merged(_ payments: [PendingPayment]) -> [PendingPayment] {
        var merged: [PendingPayment] = []
        for payment in payments {
            if !payment.reallocating.isEmpty, let index = merged.firstIndex(where: { $0.rowID == payment.rowID && !$0.reallocating.isEmpty }) {
                let earlier = merged[index]
                merged[index] = PendingPayment(rowID: earlier.rowID, key: earlier.key, amount: earlier.amount + payment.amount,
                                               reallocating: earlier.reallocating + payment.reallocating,
                                               firstPosition: earlier.firstPosition)
            } else {
                merged.append(payment)
            }
        }
        return merged
    }

    /// Step 4. Every series' next batch is committed in one transaction, then the files are
    /// written one by one: a crash between two files leaves the others' batches committed
    /// with the same payments, and they go out first thing next cycle, before anything
    /// (such as the void of one of those payments) can come between.
    private func export(_ publisher: ExportPublisher, cycleID: RowID, waiting: [String: String], at now: Instant,
                        into summary: inout CycleSummary, timer: inout StepTimer) async throws {
        let active = configuration.allSeries.filter { profile in
            guard let earlier = waiting[profile.name] else { return true }
            logger.warning("export \(profile.name): no new file while \(earlier) waits to be published")
            return false
        }
        var batches: [(profile: ExportProfile, batch: StoredBatch)] = []
        do {
            batches = try await store.cycle { session in
                var prepared: [(profile: ExportProfile, batch: StoredBatch)] = []
                for profile in active {
                    if let batch = try await session.prepareBatch(series: profile.series, createdAt: now, cycleID: cycleID,
                                                                  includeEmpty: profile.emptyFiles) {
                        prepared.append((profile, batch))
                    }
                }
                return prepared
            }
        } catch {
            try BridgeError.rethrowIfFenced(error)
            summary.errors.append("export failed: \(BridgeError.describing(error)); the payments stay pending and are exported next cycle")
            logger.error("export failed: \(BridgeError.describing(error))")
        }
        timer.step("preparing the batches")
        for (profile, batch) in batches {
            CrashPoint.afterPrepare.reach()
            do {
                let publication = try await publisher.publish(batch, profile: profile, at: now, cycleID: cycleID)
                summary.recordFile(publication.fileName, worklist: profile.isWorklist)
                timer.step("export \(profile.name)")
            } catch {
                try BridgeError.rethrowIfFenced(error)
                summary.errors.append("export \(profile.name) failed: \(BridgeError.describing(error)); its payments stay pending and are exported next cycle")
                logger.error("export \(profile.name) failed: \(BridgeError.describing(error))")
            }
        }
    }

    /// Warnings about the claims snapshots: none loaded, or the newest one too old.
    func snapshotWarnings(at now: Instant) async throws -> [String] {
        let snapshots = try await store.operations { try await $0.snapshots() }
        guard let newest = snapshots.max(by: { $0.asOf < $1.asOf }) else {
            return ["no claims snapshot is loaded: payments are exported as surplus (the debtor applies them oldest first itself)"]
        }
        let ageHours = (now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch) / 3_600_000
        if now.millisecondsSinceEpoch - newest.asOf.millisecondsSinceEpoch > configuration.staleAfterHours * 3_600_000 {
            return ["the newest claims snapshot (\(newest.source.rawValue), as of \(Timestamp.format(newest.asOf))) is \(ageHours) hours old, more than [claims] stale_after_hours = \(configuration.staleAfterHours)"]
        }
        return []
    }

    private func log(_ summary: CycleSummary) {
        logger.info("cycle done", metadata: [
            "files_accepted": "\(summary.ingest.filesAccepted)", "files_rejected": "\(summary.ingest.filesRejected)",
            "files_duplicate": "\(summary.ingest.filesDuplicate)", "records_rejected": "\(summary.ingest.recordsRejected)",
            "payments_exported": "\(summary.paymentsExported)", "reversals_exported": "\(summary.reversalsExported)",
            "surplus_payments": "\(summary.surplusPayments)",
            "trail_head": "\(summary.trailHead?.description ?? "none")",
            "files_written": "\((summary.exportFiles + summary.worklistFiles).joined(separator: ","))",
        ])
        for warning in summary.warnings { logger.warning("\(warning)") }
    }
}

extension CycleSummary {
    mutating func recordFile(_ fileName: String, worklist: Bool) {
        if worklist {
            worklistFiles.append(fileName)
        } else {
            exportFiles.append(fileName)
        }
    }

    mutating func record(_ counts: ExportedCounts) {
        paymentsExported = counts.payments
        reversalsExported = counts.reversals
        surplusPayments = counts.surplusPayments
        surplusSum = counts.surplusSum
        if counts.surplusPayments > 0 {
            warnings.append("\(counts.surplusPayments) payment(s) exported with a surplus of \(counts.surplusSum.danishText) in all (unallocated, on the payers' accounts)")
        }
    }
}
