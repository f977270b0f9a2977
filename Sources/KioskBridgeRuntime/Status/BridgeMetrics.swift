import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// The facts of `status` and the running totals, in Prometheus' text format, for the
/// `/metrics` endpoint that `watch` and `serve` answer.
///
/// Every figure is read from the database and the folders at scrape time: counters survive
/// restarts and agree with `report` and `status`, whichever process is scraped.
public enum BridgeMetrics {
    public static func exposition(configuration: BridgeConfiguration, store: any BridgeStore, at now: Instant) async throws -> String {
        let deadlines = BridgeStatus.ConfirmationDeadlines(configuration: configuration, at: now)
        let (totals, lastCycle, lease, unconfirmed, overdue, fbsBacklog) = try await store.operations { session in
            (try await session.runningTotals(), try await session.lastCycle(), try await session.leaseState(),
             try await session.overdueConfirmations(exportedBefore: now.adding(seconds: 1)),
             try await session.overdueConfirmations(exportedBefore: deadlines.warnBefore),
             configuration.fbsClaims == .fbs ? try await session.fbsBacklog() : FBSBacklog.none)
        }
        let status = try await BridgeStatus.evaluate(configuration: configuration, store: store, at: now)
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP kioskbridge_\(name) \(help)\n# TYPE kioskbridge_\(name) \(type)\n"
            for sample in samples { text += "kioskbridge_\(name)\(sample.labels) \(sample.value)\n" }
        }
        func one(_ value: Int) -> [(labels: String, value: String)] { [("", String(value))] }
        func seconds(_ instant: Instant) -> String { String(format: "%.3f", Double(instant.millisecondsSinceEpoch) / 1000) }

        metric("payments_booked_total", "counter", "Payments booked from kiosk files.", one(totals.paymentsBooked))
        metric("payments_booked_ore_total", "counter", "Sum of the payments booked, in øre.", one(totals.paymentsBookedSum.ore))
        metric("payments_voided_total", "counter", "Booked payments later voided by their kiosk.", one(totals.paymentsVoided))
        metric("records_rejected_total", "counter", "Payment records refused at intake.", one(totals.recordsRejected))
        metric("records_rejected_ore_total", "counter", "Sum of the refused payment records, in øre.", one(totals.recordsRejectedSum.ore))
        metric("files_total", "counter", "Kiosk files taken in, by verdict.", [
            ("{verdict=\"accepted\"}", String(totals.filesAccepted)), ("{verdict=\"rejected\"}", String(totals.filesRejected)),
            ("{verdict=\"duplicate\"}", String(totals.filesDuplicate)),
        ])
        metric("payments_exported_total", "counter", "Payments delivered in a debtor import file of every debtor profile.",
               one(totals.paymentsExported))
        metric("export_files_total", "counter", "Debtor import files delivered (all profiles).", one(totals.exportFiles))
        metric("exported_ore_total", "counter", "Sum of the delivered debtor import files, in øre (all profiles).",
               one(totals.exportedSum.ore))
        if let duration = lastCycle?.summaryJSON.flatMap(durationMilliseconds) {
            metric("last_cycle_duration_seconds", "gauge", "How long the last cycle took.",
                   [("", String(format: "%.3f", Double(duration) / 1000))])
        }
        if let lastCycle {
            metric("last_cycle_ok", "gauge", "1 when the last cycle ended without errors.", one(lastCycle.result == "ok" ? 1 : 0))
        }
        if let success = totals.lastSuccessfulCycle {
            metric("last_successful_cycle_timestamp_seconds", "gauge", "When the last cycle without errors ran (Unix time).",
                   [("", seconds(success))])
        }
        metric("debtor_unconfirmed_exports", "gauge", "Payments and reversals exported to the debtor that no DEBTOR snapshot has confirmed yet.",
               one(unconfirmed.count))
        metric("debtor_unconfirmed_ore", "gauge", "Their sum, in øre (reversals negative).", one(unconfirmed.sum.ore))
        if configuration.fbsClaims == .fbs {
            metric("fbs_parts_waiting", "gauge", "Parts on old fees allocated and not yet registered in FBS (the fbs mode).", one(fbsBacklog.count))
            metric("fbs_parts_waiting_ore", "gauge", "Their sum, in øre.", one(fbsBacklog.sum.ore))
        }
        metric("debtor_overdue_exports", "gauge",
               "Of those, the ones exported more than [debtor] confirm_within_business_days business days ago.", one(overdue.count))
        metric("lease_held", "gauge", "1 when a bridge holds the lease.", one(lease.isHeld ? 1 : 0))
        metric("lease_token", "gauge", "The fencing token of the lease's holder (grows with every new holder).",
               one(Int(lease.current?.token ?? 0)))
        metric("lease_takeovers_total", "counter", "Times a standby took the lease over from a holder that had ended or stopped renewing.",
               one(lease.takeovers))
        metric("lease_standbys", "gauge", "Standbys seen in the last hour.", one(lease.standbys.count))
        let inbox = (try? Inbox.list(folder: configuration.paths.inbox)) ?? []
        metric("inbox_files", "gauge", "Files waiting in the inbox.", one(inbox.count))
        let oldest = inbox.map(\.modified).min().map { max(0, now.millisecondsSinceEpoch / 1000 - $0 / 1_000_000_000) } ?? 0
        metric("inbox_oldest_age_seconds", "gauge", "Age of the oldest file waiting in the inbox.", one(oldest))
        metric("status", "gauge", "Overall status: 0 healthy, 1 warning, 2 critical (as kioskbridge status).",
               one(status.level.rawValue))
        metric("check", "gauge", "Each status check: 0 ok, 1 warning, 2 critical.",
               Dictionary(status.checks.map { ($0.name, $0.level.rawValue) }, uniquingKeysWith: max).sorted { $0.key < $1.key }
                   .map { ("{name=\"\($0.key)\"}", String($0.value)) })
        return text
    }

    static func durationMilliseconds(_ json: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return object["duration_ms"] as? Int
    }
}
