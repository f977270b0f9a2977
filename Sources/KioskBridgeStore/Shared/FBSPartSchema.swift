public import KioskBridgeCore

/// The table of the `fbs` mode's parts on old fees, the same on every backend: one row per
/// payment part that allocation put on a fee FBS listed (or, with FBS unreachable, on an
/// FBS claim of a snapshot), keyed by the part's payment and position.
///
/// The row is written with the part, in the allocation's transaction: that is the intent,
/// stored before FBS is called. `tries` goes up, and is committed, before each call; FBS's
/// answer is stored after it. A part still `waiting` is in no export; one put on the
/// worklist goes into the worklist run of the cycle that hands it over
/// (`handed_over_cycle`, the part's `cycle_id` moved to it), so batches keep carrying
/// whole cycles.
public enum FBSPartSchema {
    public static func sql(table: (String) -> String = { $0 }, integer: String, withoutRowID: String) -> String {
        let part = table("fbs_part")
        return """
            CREATE TABLE \(part) (
                payment_id \(integer) NOT NULL REFERENCES \(table("payment"))(id),
                position \(integer) NOT NULL,
                fee_id TEXT NOT NULL,
                order_id TEXT NOT NULL,
                amount_ore \(integer) NOT NULL,
                fee_amount_ore \(integer),
                state TEXT NOT NULL CHECK (state IN ('waiting', 'registered', 'refund', 'worklist', 'cancelled', 'released')),
                reason TEXT,
                confirmation_id TEXT,
                tries \(integer) NOT NULL,
                created_at \(integer) NOT NULL,
                last_tried_at \(integer),
                answered_at \(integer),
                handed_over_cycle \(integer),
                reallocated_cycle \(integer),
                PRIMARY KEY (payment_id, position)
            )\(withoutRowID);
            CREATE INDEX fbs_part_waiting ON \(part)(created_at) WHERE state = 'waiting';
            CREATE INDEX fbs_part_to_hand_over ON \(part)(payment_id, position) WHERE handed_over_cycle IS NULL AND state IN ('worklist', 'refund');
            CREATE INDEX fbs_part_released ON \(part)(payment_id) WHERE state = 'released' AND reallocated_cycle IS NULL;
            CREATE INDEX fbs_part_fee ON \(part)(fee_id);
            """
    }

    /// The condition, on an `allocation_part a`, that leaves a part out of its channel's
    /// export: a payment's part on an old fee not (yet) handed to the worklist, and the
    /// reversal of one that was cancelled or released (allocated again).
    public static func heldBack(table: (String) -> String = { $0 }) -> String {
        """
        EXISTS (SELECT 1 FROM \(table("fbs_part")) f WHERE f.payment_id = a.payment_id AND f.position = a.position
                AND ((a.void_id IS NULL AND f.handed_over_cycle IS NULL) OR (a.void_id IS NOT NULL AND f.state IN ('cancelled', 'released'))))
        """
    }

    /// Voids about to be reversed: each of their parts still waiting is cancelled if it was
    /// never sent, and put on the worklist if a call was made whose answer is unknown (staff
    /// look in FBS; the reversal follows it there). `at` is an SQL literal.
    public static func settleVoided(table: (String) -> String = { $0 }, at: String) -> String {
        """
        UPDATE \(table("fbs_part")) SET state = CASE WHEN tries = 0 THEN 'cancelled' ELSE 'worklist' END,
               reason = CASE WHEN tries = 0 THEN 'voided before it was sent to FBS'
                             ELSE 'voided while FBS''s answer was unknown: check the fee in FBS' END,
               answered_at = \(at)
        WHERE state = 'waiting' AND payment_id IN (
            SELECT payment_id FROM \(table("void")) WHERE effect = 'reversal' AND reversed_cycle IS NULL)
        """
    }

    /// Parts waiting since before `before` (SQL literal) go to the worklist, with `reason`.
    public static func giveUp(table: (String) -> String = { $0 }, before: String, at: String, reason: String) -> String {
        """
        UPDATE \(table("fbs_part")) SET state = 'worklist', answered_at = \(at),
               reason = '\(reason.replacingOccurrences(of: "'", with: "''"))'
        WHERE state = 'waiting' AND created_at < \(before)
        """
    }

    /// Trail wording of an answer.
    public static func trailEvent(_ state: FBSPartState) -> String {
        switch state {
        case .waiting: "fbs-waiting"
        case .registered: "fbs-registered"
        case .refund: "fbs-refund"
        case .worklist: "fbs-worklist"
        case .cancelled: "fbs-cancelled"
        case .released: "fbs-released"
        }
    }

    public static func trailCause(_ outcome: FBSPartOutcome, feeID: String, amount: Amount) -> String {
        var text = "fee \(feeID) \(amount): "
        switch outcome.state {
        case .registered: text += "registered in FBS, confirmation \(outcome.confirmationID ?? "-")"
        case .refund: text += "FBS had it paid by a different order: a refund case"
        case .worklist: text += "on the FBS worklist"
        case .waiting: text += "waits for FBS"
        case .cancelled: text += "cancelled"
        case .released: text += "FBS would not take it; allocated again next cycle over the payer's other claims"
        }
        if let reason = outcome.reason { text += " (\(reason))" }
        return text
    }

    /// The parts FBS would not take that are still to be allocated again, as pending
    /// payments (`pendingPayments`' columns, plus the part's position and fee and the next free
    /// position of its payment), for a backend whose tables are named by `table`.
    public static func releasedAsPending(table: (String) -> String = { $0 }) -> String {
        """
        SELECT p.id, p.payer, p.claim_type, p.paid_at, p.kiosk_id, p.transaction_id, f.amount_ore,
               f.position AS released_position, f.fee_id AS released_fee,
               (SELECT MAX(a.position) FROM \(table("allocation_part")) a WHERE a.payment_id = p.id AND a.void_id IS NULL) + 1 AS next_position
        FROM \(table("fbs_part")) f JOIN \(table("payment")) p ON p.id = f.payment_id
        WHERE f.state = 'released' AND f.reallocated_cycle IS NULL AND p.state = 'received'
        """
    }

    /// The condition, on a `payment p`, that FBS registered a part of it: the payment has
    /// gone out even when no export file carries any of it.
    public static func registeredPart(table: (String) -> String = { $0 }) -> String {
        "EXISTS (SELECT 1 FROM \(table("fbs_part")) f WHERE f.payment_id = p.id AND f.state = 'registered')"
    }

    /// The parts waiting for FBS: `count`, `sum_ore` and the oldest's `since`.
    public static func backlog(table: (String) -> String = { $0 }) -> String {
        "SELECT COUNT(*) AS count, CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) AS sum_ore, MIN(created_at) AS since FROM \(table("fbs_part")) WHERE state = 'waiting'"
    }

    /// The parts on old fees of payments taken in [from, to) (SQL literals), oldest payment
    /// first; the negative twins of released parts are left out (the part itself says it).
    public static func dayParts(table: (String) -> String = { $0 }, from: String, to: String) -> String {
        """
        SELECT p.kiosk_id, p.receipt, p.transaction_id, f.fee_id, f.amount_ore, f.state, f.reason, f.confirmation_id
        FROM \(table("fbs_part")) f JOIN \(table("payment")) p ON p.id = f.payment_id
        WHERE p.paid_at >= \(from) AND p.paid_at < \(to) AND f.amount_ore > 0
        ORDER BY p.kiosk_id, p.paid_at, f.payment_id, f.position
        """
    }

    public static func reallocated(_ part: ReleasedFBSPart, cycle: RowID) -> String {
        "fee \(part.feeID) \(part.amount): allocated again in cycle \(cycle) over the payer's other claims"
    }
}
