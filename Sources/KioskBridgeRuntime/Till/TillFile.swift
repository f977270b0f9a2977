public import KioskBridgeCore
public import KioskBridgeStore

/// The kiosk file a till payment goes out as: one payment, the till's kiosk id, its number
/// as the file's sequence. Made from the stored payment whenever it is needed, so the
/// same payment always gives the same file, and it is booked by the same intake, with the
/// same rules, as every kiosk's file (kiosk-file.md).
public enum TillFile {
    /// `<till>_<YYYYMMDDhhmmss>_<number>.csv`, the time in Copenhagen.
    public static func name(of payment: TillPayment) -> String {
        let local = CopenhagenTime.localDateTime(at: payment.taken.takenAt)
        let stamp = LocalDate.pad(local.date.year, 4) + LocalDate.pad(local.date.month, 2) + LocalDate.pad(local.date.day, 2)
            + LocalDate.pad(local.hour, 2) + LocalDate.pad(local.minute, 2) + LocalDate.pad(local.second, 2)
        return "\(payment.taken.tillID)_\(stamp)_\(LocalDate.pad(payment.number, 6)).csv"
    }

    /// The file's text, UTF-8. The operator id is the staff member who took the payment.
    public static func text(of payment: TillPayment, location: String) -> String {
        let taken = payment.taken
        let at = Timestamp.format(taken.takenAt)
        return [
            "H;1;\(taken.tillID);\(location);\(payment.number);\(at)",
            "D;\(payment.receipt);\(at);\(taken.payerDigits);\(taken.claimType);\(taken.amount);\(taken.tender);\(payment.receipt);\(taken.staff)",
            "T;1;\(taken.amount)",
            "",
        ].joined(separator: "\n")
    }
}
