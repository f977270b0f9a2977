public import KioskBridgeCore
public import KioskBridgeStore

extension BridgeStatus {
    /// Which exports are overdue for the debtor's confirmation: made before the start of the
    /// business day `[debtor] confirm_within_business_days` back (warning), or twice that
    /// (critical).
    public struct ConfirmationDeadlines: Sendable {
        public let warnBefore: Instant
        public let criticalBefore: Instant
        public let businessDays: Int

        public init(configuration: BridgeConfiguration, at now: Instant) {
            let today = CopenhagenTime.localDate(at: now)
            let calendar = configuration.debtorSchedule.calendar
            businessDays = configuration.confirmWithinBusinessDays
            warnBefore = CopenhagenTime.startOfDay(calendar.businessDay(businessDays, before: today))
            criticalBefore = CopenhagenTime.startOfDay(calendar.businessDay(2 * businessDays, before: today))
        }
    }

    /// The `debtor-confirmation` check: exports the debtor system has not confirmed in time,
    /// with the oldest named and the sum, so that finance can ask the debtor's operators
    /// about that file.
    static func confirmationCheck(overdue: OverdueConfirmations, critical: OverdueConfirmations,
                                  deadlines: ConfirmationDeadlines) -> Check {
        guard let oldest = overdue.oldest else {
            return Check(name: "debtor-confirmation", level: .ok,
                         message: "every export older than \(deadlines.businessDays) business day(s) is confirmed by a DEBTOR snapshot")
        }
        let level: Level = critical.count > 0 ? .critical : .warning
        let days = level == .critical ? 2 * deadlines.businessDays : deadlines.businessDays
        let what = oldest.isReversal ? "the reversal \(oldest.transactionID) of receipt \(oldest.receipt)"
            : "receipt \(oldest.receipt) (\(oldest.kioskID) \(oldest.transactionID))"
        return Check(name: "debtor-confirmation", level: level, message:
            "\(overdue.count) export(s) to the debtor system, \(overdue.sum.danishText) in all, not confirmed by a DEBTOR snapshot after "
            + "more than \(days) business day(s); the oldest: \(what), \(oldest.amount.danishText), exported \(Timestamp.format(oldest.exportedAt))")
    }
}
