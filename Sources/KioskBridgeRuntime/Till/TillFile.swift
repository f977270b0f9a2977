import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// The kiosk file a till payment or void goes out as: one record, the till's kiosk id, its
/// number as the file's sequence. Made from the stored record whenever it is needed, so
/// the same record always gives the same file, and it is booked by the same intake, with
/// the same rules, as every kiosk's file (kiosk-file.md).
public enum TillFile {
    /// `<till>_<YYYYMMDDhhmmss>_<number>.csv`, the time in Copenhagen.
    public static func name(of entry: TillEntry) -> String {
        let (tillID, at) = switch entry {
        case .payment(let payment): (payment.taken.tillID, payment.taken.takenAt)
        case .void(let void): (void.tillID, void.voidedAt)
        }
        let local = CopenhagenTime.localDateTime(at: at)
        let stamp = LocalDate.pad(local.date.year, 4) + LocalDate.pad(local.date.month, 2) + LocalDate.pad(local.date.day, 2)
            + LocalDate.pad(local.hour, 2) + LocalDate.pad(local.minute, 2) + LocalDate.pad(local.second, 2)
        return "\(tillID)_\(stamp)_\(LocalDate.pad(entry.number, 6)).csv"
    }

    /// The file's text, UTF-8. A payment's operator id is the staff member who took it; a
    /// void's reason ends with who voided it (the `V` record has no operator field).
    public static func text(of entry: TillEntry, location: String) -> String {
        let lines: [String]
        switch entry {
        case .payment(let payment):
            let taken = payment.taken
            let at = Timestamp.format(taken.takenAt)
            lines = [
                "H;1;\(taken.tillID);\(location);\(payment.number);\(at)",
                "D;\(payment.receipt);\(at);\(taken.payerDigits);\(taken.claimType);\(taken.amount);\(taken.tender);\(payment.receipt);\(taken.staff)",
                "T;1;\(taken.amount)",
            ]
        case .void(let void):
            let at = Timestamp.format(void.voidedAt)
            lines = [
                "H;1;\(void.tillID);\(location);\(void.number);\(at)",
                "V;\(void.voidID);\(at);\(void.paymentReceipt);\(void.amount);\(csvField(void.reason + " (annulleret af \(void.staff))"))",
                "T;1;\(Amount.zero - void.amount)",
            ]
        }
        return (lines + [""]).joined(separator: "\n")
    }

    /// A free-text field, quoted (RFC 4180 with `;`) when it holds a `;` or a quote.
    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == ";" || $0 == "\"" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
