import Foundation
public import KioskBridgeCore

/// The desk tills' payments and voids, the same on every backend. A row is written when
/// staff confirm a payment or a void, in one transaction with its numbers and its trail
/// row; it is the only record of it until the cycle writes it out as a one-record kiosk
/// file of the till and books it like any kiosk's. `number` is that file's sequence
/// (payments and voids share it); `receipt_number` is a payment's own gap-free series,
/// and a void names the receipt it cancels in `voids` (once). A row whose number is above
/// every file the till has had recorded is still to be written out, so nothing confirmed
/// at a till can be lost between the confirmation and the booking.
public enum TillSchema {
    public static func sql(table: (String) -> String = { $0 }, integer: String, identity: String) -> String {
        let till = table("till_record")
        return """
            ALTER TABLE \(table("desk_user")) ADD COLUMN role TEXT NOT NULL DEFAULT 'lookup'
                CHECK (role IN ('lookup', 'till', 'admin'));
            CREATE TABLE \(till) (
                id \(identity),
                till_id TEXT NOT NULL,
                number \(integer) NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('payment', 'void')),
                receipt_number \(integer),
                voids \(integer),
                reason TEXT,
                form_token TEXT NOT NULL UNIQUE,
                staff TEXT NOT NULL,
                taken_at \(integer) NOT NULL,
                payer TEXT NOT NULL,
                claim_type TEXT NOT NULL,
                amount_ore \(integer) NOT NULL CHECK (amount_ore > 0),
                tender TEXT NOT NULL,
                reference TEXT,
                note TEXT,
                UNIQUE (till_id, number),
                UNIQUE (till_id, receipt_number),
                UNIQUE (till_id, voids),
                CHECK ((kind = 'payment') = (receipt_number IS NOT NULL AND voids IS NULL))
            );
            CREATE TABLE \(table("till_close")) (
                id \(identity),
                till_id TEXT NOT NULL,
                date TEXT NOT NULL,
                counted_ore \(integer) NOT NULL,
                registered_ore \(integer) NOT NULL,
                staff TEXT NOT NULL,
                closed_at \(integer) NOT NULL,
                note TEXT
            );
            CREATE INDEX till_close_date ON \(table("till_close"))(date, till_id);
            """
    }

    /// The columns every backend reads a till payment with.
    public static let columns = "id, till_id, number, kind, receipt_number, voids, reason, form_token, staff, taken_at, payer, claim_type, amount_ore, tender, reference, note"

    /// The cash a till took in [from, to) (SQL literals) that is not voided: `count`, `sum_ore`.
    public static func cashTaken(table: (String) -> String = { $0 }, tillID: String, from: String, to: String) -> String {
        let record = table("till_record")
        return """
            SELECT COUNT(*) AS count, CAST(COALESCE(SUM(p.amount_ore), 0) AS BIGINT) AS sum_ore FROM \(record) p
            WHERE p.till_id = '\(tillID.replacingOccurrences(of: "'", with: "''"))' AND p.kind = 'payment' AND p.tender = 'CASH'
              AND p.taken_at >= \(from) AND p.taken_at < \(to)
              AND NOT EXISTS (SELECT 1 FROM \(record) v WHERE v.till_id = p.till_id AND v.voids = p.receipt_number)
            """
    }

    public static let closeColumns = "id, till_id, date, counted_ore, registered_ore, staff, closed_at, note"

    public static func closed(_ close: TillClose) -> String {
        "till \(close.tillID) closed for \(close.date) by \(close.staff): counted \(close.counted), registered cash \(close.registered), "
            + "difference \(close.difference)" + (close.note.map { " (\($0))" } ?? "")
    }

    public static func voided(_ void: TillVoid) -> String {
        "till \(void.tillID) receipt \(void.paymentReceipt) voided by \(void.staff): \(void.reason)"
    }

    public static func taken(_ payment: TillPayment) -> String {
        let taken = payment.taken
        return "till \(taken.tillID) receipt \(payment.receipt): \(taken.amount) \(taken.claimType) \(taken.tender) taken by \(taken.staff)"
            + (taken.reference.map { ", reference \($0)" } ?? "")
    }
}
