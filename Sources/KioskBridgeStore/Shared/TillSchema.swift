public import KioskBridgeCore

/// The desk tills' payments, the same on every backend. A row is written when staff
/// confirm a payment, in one transaction with its number and its trail row; it is the
/// payment's only record until the cycle writes it out as a one-payment kiosk file of the
/// till and books it like any kiosk's. A row whose number is above every file the till
/// has had booked is still to be written out, so nothing taken at a till can be lost
/// between the confirmation and the booking.
public enum TillSchema {
    public static func sql(table: (String) -> String = { $0 }, integer: String, identity: String) -> String {
        let till = table("till_payment")
        return """
            ALTER TABLE \(table("desk_user")) ADD COLUMN role TEXT NOT NULL DEFAULT 'lookup'
                CHECK (role IN ('lookup', 'till', 'admin'));
            CREATE TABLE \(till) (
                id \(identity),
                till_id TEXT NOT NULL,
                number \(integer) NOT NULL,
                form_token TEXT NOT NULL UNIQUE,
                staff TEXT NOT NULL,
                taken_at \(integer) NOT NULL,
                payer TEXT NOT NULL,
                claim_type TEXT NOT NULL,
                amount_ore \(integer) NOT NULL CHECK (amount_ore > 0),
                tender TEXT NOT NULL,
                reference TEXT,
                note TEXT,
                UNIQUE (till_id, number)
            );
            """
    }

    /// The columns every backend reads a till payment with.
    public static let columns = "id, till_id, number, form_token, staff, taken_at, payer, claim_type, amount_ore, tender, reference, note"

    public static func taken(_ payment: TillPayment) -> String {
        let taken = payment.taken
        return "till \(taken.tillID) receipt \(payment.receipt): \(taken.amount) \(taken.claimType) \(taken.tender) taken by \(taken.staff)"
            + (taken.reference.map { ", reference \($0)" } ?? "")
    }
}
