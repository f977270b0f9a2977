public import KioskBridgeCore

/// What intake's trail rows say, and in which order they are written: the same words on
/// every backend, so a trail reads the same whichever database holds it.
public enum IntakeTrail {
    /// A void, a refused record or a resent one: the bookings that get a trail row each.
    public enum Event: Sendable {
        case void(NewVoid)
        case rejected(RejectedRecord)
        case duplicate(DuplicateRecord)

        var line: Int {
            switch self {
            case .void(let void): void.line
            case .rejected(let record): record.problem.line
            case .duplicate(let duplicate): duplicate.line
            }
        }
    }

    /// The run's events in file order (payments are one row per file, see ``booked(fileID:_:)``).
    public static func inFileOrder(_ bookings: FileBookings) -> [Event] {
        let events = bookings.voids.map(Event.void) + bookings.rejected.map(Event.rejected) + bookings.duplicates.map(Event.duplicate)
        return events.enumerated().sorted { a, b in
            a.element.line != b.element.line ? a.element.line < b.element.line : a.offset < b.offset
        }.map(\.element)
    }

    /// The file's row for all the payments it booked.
    public static func booked(fileID: Int64, _ tally: FileTally) -> String {
        "booked from file \(fileID): \(tally.paymentsBooked) payment\(tally.paymentsBooked == 1 ? "" : "s"), \(tally.paymentsSum)"
    }

    public static func voidBooked(_ void: NewVoid) -> String {
        "line \(void.line), voids payment \(void.record.voidsTransactionID)"
    }

    public static func paymentVoided(_ void: NewVoid) -> String {
        switch void.effect {
        case .cancel: "cancelled by void \(void.record.voidID) before export"
        case .reversal: "void \(void.record.voidID) after export: a reversal follows in the next export"
        }
    }

    public static func duplicate(_ duplicate: DuplicateRecord) -> String {
        "line \(duplicate.line): transaction \(duplicate.transactionID) of \(duplicate.kioskID) was already booked with the same content; ignored"
    }

    /// A refused record's payer, searchable by its digits even when they are not a valid
    /// number (a typo'd date).
    public static func payerKey(_ summary: RecordSummary) -> String? {
        summary.payerText.flatMap(PersonalDataRedaction.payerKey)
    }

    /// A refused record's time, when it can be read.
    public static func paidAt(_ summary: RecordSummary) -> Instant? {
        guard let text = summary.paidAtText, case .success(let instant) = Timestamp.parse(text) else { return nil }
        return instant
    }
}
