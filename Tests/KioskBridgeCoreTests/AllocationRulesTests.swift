import Testing
@testable import KioskBridgeCore

func claim(_ id: String, created: String, due: String? = nil, remaining: Int, in channel: PaymentChannel = .debtor) -> AllocatableClaim {
    AllocatableClaim(id: id, createdOn: date(created), dueOn: due.map(date), payableIn: channel, remaining: Amount(ore: remaining))
}

/// allocation.md
@Suite("allocation.md")
struct AllocationRulesTests {
    let allocator = Allocator(fbsClaims: .skip)

    @Test("Oldest first: three fees of 20 kr., a payment of 40 kr. pays the two oldest")
    func twoOldestOfThreeArePaid() {
        var claims = allocator.eligible([
            claim("F-3", created: "2026-10-01", remaining: 2000),
            claim("F-1", created: "2026-08-01", remaining: 2000),
            claim("F-2", created: "2026-09-01", remaining: 2000),
        ])
        let parts = allocator.allocate(Amount(ore: 4000), over: &claims)
        #expect(parts.map(\.claimID) == ["F-1", "F-2"])
        #expect(parts.map(\.amount.ore) == [2000, 2000])
        #expect(claims.first { $0.id == "F-3" }?.remaining == Amount(ore: 2000))
    }

    @Test("Order: created on, then due on (empty last), then claim id (ordinal)")
    func tieBreaks() {
        let ordered = allocator.eligible([
            claim("F-b", created: "2026-08-01", due: nil, remaining: 1),
            claim("F-a", created: "2026-08-01", due: nil, remaining: 1),
            claim("F-z", created: "2026-08-01", due: "2026-08-20", remaining: 1),
            claim("F-y", created: "2026-08-01", due: "2026-08-15", remaining: 1),
            claim("F-B", created: "2026-08-01", due: nil, remaining: 1),
            claim("F-0", created: "2026-07-31", due: nil, remaining: 1),
        ])
        // Ordinal: uppercase B (0x42) before lowercase a (0x61).
        #expect(ordered.map(\.id) == ["F-0", "F-y", "F-z", "F-B", "F-a", "F-b"])
    }

    @Test("Partial claims: a claim may be paid partially and keeps the rest")
    func partialClaim() {
        var claims = [claim("F-1", created: "2026-08-01", remaining: 5000)]
        let parts = allocator.allocate(Amount(ore: 1234), over: &claims)
        #expect(parts == [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: Amount(ore: 1234))])
        #expect(claims[0].remaining == Amount(ore: 3766))
    }

    @Test("Surplus: what is left after the last claim is a SURPLUS part without a claim")
    func surplus() {
        var claims = [claim("F-1", created: "2026-08-01", remaining: 2000)]
        let parts = allocator.allocate(Amount(ore: 5000), over: &claims)
        #expect(parts.last == AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: Amount(ore: 3000)))
    }

    @Test("Surplus: a payment with no open claims at all is a surplus as a whole")
    func wholeSurplus() {
        var claims: [AllocatableClaim] = []
        #expect(allocator.allocate(Amount(ore: 4000), over: &claims) ==
            [AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: Amount(ore: 4000))])
    }

    @Test("The sum of a payment's parts always equals the payment, to the øre", arguments: [1, 999, 2000, 4001, 12345, 100_000])
    func partsAddUp(payment: Int) {
        var claims = allocator.eligible([
            claim("A", created: "2026-01-01", remaining: 999), claim("B", created: "2026-02-01", remaining: 1),
            claim("C", created: "2026-03-01", remaining: 3000), claim("D", created: "2026-04-01", remaining: 0),
        ])
        let parts = allocator.allocate(Amount(ore: payment), over: &claims)
        #expect(parts.reduce(Amount.zero) { $0 + $1.amount } == Amount(ore: payment))
        #expect(parts.allSatisfy { $0.amount.isPositive })
    }

    @Test("Effective outstanding > 0: claims with nothing left are skipped")
    func zeroClaimsAreSkipped() {
        var claims = allocator.eligible([claim("A", created: "2026-01-01", remaining: 0), claim("B", created: "2026-02-01", remaining: 500)])
        #expect(allocator.allocate(Amount(ore: 500), over: &claims).map(\.claimID) == ["B"])
    }

    @Test("fbs_claims = skip: claims payable only in FBS are not allocated to")
    func fbsSkip() {
        let eligible = Allocator(fbsClaims: .skip).eligible([
            claim("OLD", created: "2025-01-01", remaining: 1000, in: .fbs), claim("NEW", created: "2026-01-01", remaining: 1000),
        ])
        #expect(eligible.map(\.id) == ["NEW"])
    }

    @Test("fbs_claims = worklist: FBS claims take part in the order; their parts are marked for the worklist")
    func fbsWorklist() {
        let allocator = Allocator(fbsClaims: .worklist)
        var claims = allocator.eligible([
            claim("NEW", created: "2026-01-01", remaining: 1000), claim("OLD", created: "2025-01-01", remaining: 1000, in: .fbs),
        ])
        let parts = allocator.allocate(Amount(ore: 1500), over: &claims)
        #expect(parts == [
            AllocationPart(kind: .payment, claimID: "OLD", channel: .fbs, amount: Amount(ore: 1000)),
            AllocationPart(kind: .payment, claimID: "NEW", channel: .debtor, amount: Amount(ore: 500)),
        ])
    }

    @Test("Two payments by one payer in the same cycle never both take the same øre")
    func twoPaymentsShareClaimsInOrder() {
        var claims = allocator.eligible([claim("F-1", created: "2026-01-01", remaining: 3000)])
        let first = allocator.allocate(Amount(ore: 2000), over: &claims)
        let second = allocator.allocate(Amount(ore: 2000), over: &claims)
        #expect(first == [AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: Amount(ore: 2000))])
        #expect(second == [
            AllocationPart(kind: .payment, claimID: "F-1", channel: .debtor, amount: Amount(ore: 1000)),
            AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: Amount(ore: 1000)),
        ])
    }

    @Test("Payments are allocated in the order paid at, kiosk id, transaction id")
    func paymentOrder() {
        let at = instant("2026-11-21T14:00:00+01:00")
        let keys = [
            AllocationOrder.PaymentKey(paidAt: at, kioskID: "K-2", transactionID: "1"),
            AllocationOrder.PaymentKey(paidAt: at, kioskID: "K-1", transactionID: "2"),
            AllocationOrder.PaymentKey(paidAt: at, kioskID: "K-1", transactionID: "10"),
            AllocationOrder.PaymentKey(paidAt: at.adding(seconds: -1), kioskID: "K-9", transactionID: "9"),
        ].sorted()
        #expect(keys.map { "\($0.kioskID)/\($0.transactionID)" } == ["K-9/9", "K-1/10", "K-1/2", "K-2/1"])
    }

    @Test("Reversal: the same parts, negated, on the same claims and channels")
    func reversalParts() {
        let parts = [AllocationPart(kind: .payment, claimID: "F-1", channel: .fbs, amount: Amount(ore: 2000)),
                     AllocationPart(kind: .surplus, claimID: nil, channel: .debtor, amount: Amount(ore: 500))]
        #expect(AllocationPart.reversal(of: parts) == [
            AllocationPart(kind: .reversal, claimID: "F-1", channel: .fbs, amount: Amount(ore: -2000)),
            AllocationPart(kind: .reversal, claimID: nil, channel: .debtor, amount: Amount(ore: -500)),
        ])
    }

    @Test("Determinism: the same inputs always give the same allocation")
    func determinism() {
        let claims = [claim("C", created: "2026-03-01", remaining: 700), claim("A", created: "2026-01-01", remaining: 300),
                      claim("B", created: "2026-01-01", due: "2026-01-10", remaining: 300)]
        var first = allocator.eligible(claims)
        var second = allocator.eligible(claims.reversed())
        #expect(allocator.allocate(Amount(ore: 1000), over: &first) == allocator.allocate(Amount(ore: 1000), over: &second))
    }
}

/// allocation.md "Effective outstanding"
@Suite("allocation.md: effective outstanding")
struct EffectiveOutstandingRulesTests {
    let asOf = instant("2026-11-21T06:00:00+01:00")
    func part(_ ore: Int, exported: String?, listed: Bool = false) -> EffectiveOutstanding.BridgePart {
        .init(signedAmount: Amount(ore: ore), exportedAt: exported.map(instant), listedAsApplied: listed)
    }

    @Test("Allocations the snapshot does not yet reflect are subtracted")
    func unreflectedAllocationsSubtract() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: true)
        #expect(EffectiveOutstanding.amount(outstanding: Amount(ore: 5000), parts: [part(2000, exported: "2026-11-21T08:00:00+01:00")],
                                            snapshot: snapshot) == Amount(ore: 3000))
    }

    @Test("An allocation listed in a P record is reflected")
    func pRecordReflects() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: true)
        #expect(EffectiveOutstanding.amount(outstanding: Amount(ore: 3000),
                                            parts: [part(2000, exported: "2026-11-21T08:00:00+01:00", listed: true)],
                                            snapshot: snapshot) == Amount(ore: 3000))
    }

    @Test("Without any P records: exported before the as-of time is reflected, later is not")
    func asOfRule() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: false)
        let parts = [part(1000, exported: "2026-11-20T21:20:00+01:00"), part(500, exported: "2026-11-21T07:00:00+01:00"), part(200, exported: nil)]
        #expect(EffectiveOutstanding.amount(outstanding: Amount(ore: 5000), parts: parts, snapshot: snapshot) == Amount(ore: 4300))
    }

    @Test("With P records, the as-of rule does not apply: an unlisted allocation exported before as-of is not reflected")
    func pRecordsOverrideAsOf() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: true)
        #expect(EffectiveOutstanding.amount(outstanding: Amount(ore: 5000), parts: [part(1000, exported: "2026-11-20T10:00:00+01:00")],
                                            snapshot: snapshot) == Amount(ore: 4000))
    }

    @Test("Unreflected reversals give the amount back, also to a claim the snapshot shows as 0")
    func reversalsGiveBack() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: true)
        let parts = [part(2000, exported: "2026-11-20T10:00:00+01:00", listed: true), part(-2000, exported: nil)]
        #expect(EffectiveOutstanding.amount(outstanding: .zero, parts: parts, snapshot: snapshot) == Amount(ore: 2000))
    }

    @Test("Never below zero")
    func neverNegative() {
        let snapshot = EffectiveOutstanding.SnapshotEvidence(asOf: asOf, hasAppliedRecords: false)
        #expect(EffectiveOutstanding.amount(outstanding: Amount(ore: 1000), parts: [part(2500, exported: nil)], snapshot: snapshot) == .zero)
    }
}
