import KioskBridgeCore

/// Why a kiosk file or record was refused, in one plain sentence a librarian can say to
/// the patron. The technical reason (line, field, what was found and expected) is shown
/// beneath it as the bridge wrote it.
enum RefusalText {
    static func headline(code: String?, language: DeskLanguage) -> String {
        guard let code, let known = IntakeProblem.Code(rawValue: code) else {
            return language.pick("Kioskens data blev afvist.", "The kiosk's data was refused.")
        }
        switch known {
        case .emptyFile, .notAKioskFile, .missingHeader, .badHeader, .unknownRecordType, .misplacedRecord, .unreadableFile,
             .lineTooLong, .doctype, .malformedXML, .schemaViolation:
            return language.pick("Kioskens fil kunne ikke læses, så ingen betalinger fra den er bogført.",
                                 "The kiosk's file could not be read, so no payment from it was booked.")
        case .missingTrailer, .trailerMismatch, .unreadableAmount:
            return language.pick("Kioskens fil var ufuldstændig (kontroltallene passede ikke), så ingen betalinger fra den er bogført.",
                                 "The kiosk's file was incomplete (its control totals did not match), so no payment from it was booked.")
        case .implausibleCreatedAt:
            return language.pick("Kioskens fil var dateret ude i fremtiden (kioskens ur går forkert), så ingen betalinger fra den er bogført.",
                                 "The kiosk's file was dated in the future (the kiosk's clock is wrong), so no payment from it was booked.")
        case .implausibleTime, .implausibleAmount:
            return language.pick("Betalingens tidspunkt eller beløb kan ikke passe, så den er ikke bogført.",
                                 "The payment's time or amount cannot be right, so it was not booked.")
        case .sequenceConflict:
            return language.pick("Kiosken sendte en anden fil med samme løbenummer; den blev afvist.",
                                 "The kiosk sent a different file with the same sequence number; it was refused.")
        case .fieldCount, .missingValue, .invalidValue, .malformedField:
            return language.pick("Betalingen havde en fejl i kioskens data og er ikke bogført.",
                                 "The payment had an error in the kiosk's data and was not booked.")
        case .amountNotPositive:
            return language.pick("Beløbet var nul eller negativt, så betalingen er ikke bogført.",
                                 "The amount was zero or negative, so the payment was not booked.")
        case .unmappedClaimType:
            return language.pick("Gebyrtypen er ikke sat op i broen, så betalingen er ikke bogført.",
                                 "The fee type is not set up in the bridge, so the payment was not booked.")
        case .conflict:
            return language.pick("Kiosken sendte samme transaktion to gange med forskelligt indhold; den anden blev afvist.",
                                 "The kiosk sent the same transaction twice with different content; the second was refused.")
        case .unknownPayment, .alreadyVoided, .voidAmountMismatch:
            return language.pick("En annullering fra kiosken passede ikke til en betaling og blev afvist.",
                                 "A cancellation from the kiosk did not match a payment and was refused.")
        }
    }
}
