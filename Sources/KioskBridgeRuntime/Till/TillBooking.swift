public import KioskBridgeCore
public import KioskBridgeStore

/// How a till payment would be allocated: the payer's open claims of its type as the next
/// cycle sees them, oldest first, and the parts the payment would make of them.
public struct TillPreview: Sendable {
    public let draft: TillDraft
    /// Eligible claims, oldest first, with what each can still take before this payment.
    public let claims: [AllocatableClaim]
    /// What the payment would pay. Payments of the same payer booked earlier and not yet
    /// allocated are allocated first by the cycle, so this is the allocation the cycle makes
    /// when none is waiting.
    public let parts: [AllocationPart]

    public var surplus: Amount { parts.filter { $0.kind == .surplus }.reduce(.zero) { $0 + $1.amount } }
}

/// Taking a payment at a till: the preview, and the booking.
///
/// The booking stores the payment with the till's next number in one transaction (the
/// form's one-time token makes a second submit find it instead); the next intake writes
/// it out as the till's kiosk file and books it with every kiosk rule (``TillOutbox``).
public struct TillBooking: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore

    public init(configuration: BridgeConfiguration, store: any BridgeStore) {
        self.configuration = configuration
        self.store = store
    }

    /// The allocation the cycle would make of `draft` now, with the cycle's own rules
    /// (effective outstanding, oldest first, the `fbs_claims` policy). In the `fbs` mode
    /// the old fees are the snapshots', not FBS's live list.
    public func preview(_ draft: TillDraft, at now: Instant) async throws -> TillPreview {
        let digits = draft.payer.digits
        let (evidence, snapshots) = try await store.lookup { reader in
            (try await reader.claimEvidence(payerDigits: digits), try await reader.snapshots())
        }
        let claims = evidence.filter { $0.claim.claimType == draft.claimType }
        let group = PendingGroup(payer: digits, claimType: draft.claimType, payments: [
            PendingPayment(rowID: 0, key: AllocationOrder.PaymentKey(paidAt: now, kioskID: draft.till.id, transactionID: ""), amount: draft.amount),
        ], claims: claims)
        let snapshotEvidence = Dictionary(snapshots.map {
            ($0.source, EffectiveOutstanding.SnapshotEvidence(asOf: $0.asOf, hasAppliedRecords: $0.appliedRecords > 0))
        }, uniquingKeysWith: { first, _ in first })
        let allocator = Allocator(fbsClaims: configuration.fbsClaims)
        let parts = CycleRun.allocate(group, with: allocator, evidence: snapshotEvidence, at: now).first?.parts ?? []
        let open = allocator.eligible(claims.map { item in
            AllocatableClaim(id: item.claim.id, createdOn: item.claim.createdOn, dueOn: item.claim.dueOn, payableIn: item.claim.payableIn,
                             remaining: EffectiveOutstanding.amount(outstanding: item.claim.outstanding, parts: item.bridgeParts,
                                                                    snapshot: snapshotEvidence[item.claim.source] ?? .init(asOf: now, hasAppliedRecords: false)))
        }).filter { $0.remaining.isPositive }
        return TillPreview(draft: draft, claims: open, parts: parts)
    }

    /// Books `draft` under the form's token, at `now` (to the second), taken by `staff`.
    public func book(_ draft: TillDraft, formToken: String, staff: String, at now: Instant) async throws -> TillIssue {
        let payment = NewTillPayment(tillID: draft.till.id, formToken: formToken, staff: staff, takenAt: Self.second(now), payerDigits: draft.payer.digits,
                                     claimType: draft.claimType, amount: draft.amount, tender: draft.tender, reference: draft.reference,
                                     note: draft.note)
        return try await store.desk { try await $0.issueTillPayment(payment) }
    }

    /// Voids a payment of the till; the next intake books the void as the till's kiosk file.
    public func void(_ void: NewTillVoid) async throws -> TillVoidIssue {
        let atSecond = NewTillVoid(tillID: void.tillID, receiptNumber: void.receiptNumber, staff: void.staff, voidedAt: Self.second(void.voidedAt),
                                   reason: PersonalDataRedaction.redactCPRs(in: void.reason))
        return try await store.desk { try await $0.issueTillVoid(atSecond) }
    }

    /// The cash the till took on `date` (Copenhagen), voided payments left out.
    public func cash(tillID: String, on date: LocalDate) async throws -> Amount {
        try await store.desk { try await $0.tillCash(tillID: tillID, from: CopenhagenTime.startOfDay(date),
                                                     to: CopenhagenTime.startOfDay(date.adding(days: 1))) }
    }

    /// The till close of today: the counted cash against the cash registered until now.
    public func close(tillID: String, counted: Amount, staff: String, note: String?, at now: Instant) async throws -> TillClose {
        let today = CopenhagenTime.localDate(at: now)
        let registered = try await cash(tillID: tillID, on: today)
        return try await store.desk { try await $0.recordTillClose(tillID: tillID, date: today, counted: counted, registered: registered,
                                                                   staff: staff, at: now, note: note) }
    }

    /// Kiosk files carry whole seconds.
    static func second(_ instant: Instant) -> Instant {
        Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch - ((instant.millisecondsSinceEpoch % 1000) + 1000) % 1000)
    }
}
