import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// A till payment's receipt (kvittering), to print for the patron: the till, the time, the
/// amount, the tender, the receipt number, the masked payer and, once the cycle has
/// allocated it, the claims it paid. It can be opened again later, from the lookup.
struct TillReceiptPage {
    struct Line {
        let label: String
        let value: String
    }

    struct Part {
        let what: String
        let amount: String
    }

    let heading: String
    let lines: [Line]
    let parts: [Part]
    let hasParts: Bool
    let partsHeading: String
    let status: String
    let again: Bool
    let againText: String
    let newPayment: String
    /// Set once the payment is voided: when, by whom, why.
    let voided: String?
    /// The void form, for a till user while the payment is not voided.
    let voidForm: VoidForm?

    struct VoidForm {
        let tillID: String
        let number: Int
        let reasonLabel: String
        let button: String
    }

    init(payment: TillPayment, void: TillVoid?, till: TillSettings?, booked: ReceiptMatch?, again: Bool, cycleMinutes: Int, mayVoid: Bool,
         language: DeskLanguage) {
        let pick = language.pick
        let taken = payment.taken
        heading = pick("Kvittering", "Receipt")
        var lines = [
            Line(label: pick("Kasse", "Till"), value: till.map { "\($0.id) – \($0.location)" } ?? taken.tillID),
            Line(label: pick("Tidspunkt", "Time"), value: DeskDates(language: language).moment(taken.takenAt)),
            Line(label: pick("Kvitteringsnummer", "Receipt number"), value: payment.receipt),
            Line(label: pick("Beløb", "Amount"), value: DeskDates(language: language).amount(taken.amount)),
            Line(label: pick("Betalingsmiddel", "Tender"), value: taken.tender),
            Line(label: pick("Betaler", "Payer"), value: Payer(storedDigits: taken.payerDigits)?.description ?? "–"),
            Line(label: pick("Kravtype", "Claim type"), value: taken.claimType),
            Line(label: pick("Modtaget af", "Taken by"), value: taken.staff),
        ]
        if let reference = taken.reference { lines.append(Line(label: pick("Reference", "Reference"), value: reference)) }
        if let note = taken.note { lines.append(Line(label: pick("Note", "Note"), value: note)) }
        self.lines = lines
        let allocated = booked?.allocations.filter { !$0.isReversal } ?? []
        parts = allocated.map { stored in
            let part = stored.part
            let what = part.claimID.map { pick("Krav \($0)", "Claim \($0)") } ?? pick("Overskud (til gode)", "Surplus (held as credit)")
            return Part(what: what, amount: part.amount.danishText)
        }
        hasParts = !parts.isEmpty
        partsHeading = pick("Betalt", "Paid")
        status = booked == nil || allocated.isEmpty
            ? pick("Betalingen fordeles på betalerens krav ved næste kørsel (hvert \(cycleMinutes). minut).",
                   "The payment is allocated over the payer's claims in the next cycle (every \(cycleMinutes) minutes).")
            : pick("Betalingen er fordelt som vist.", "The payment is allocated as shown.")
        self.again = again
        againText = void != nil ? pick("Betalingen var allerede annulleret: den er kun annulleret én gang.",
                                       "The payment had been voided already: it is voided once only.")
                                : pick("Formularen var allerede sendt: betalingen er kun bogført én gang.",
                                       "The form had been sent already: the payment is booked once only.")
        let dates = DeskDates(language: language)
        voided = void.map { void in
            pick("Annulleret \(dates.moment(void.voidedAt)) af \(void.staff): \(void.reason). Er betalingen allerede sendt til debitorsystemet, sendes en tilbageførsel ved næste kørsel; ellers sendes ingen af dem.",
                 "Voided \(dates.moment(void.voidedAt)) by \(void.staff): \(void.reason). If the payment had gone to the debtor system, a reversal goes with the next cycle; otherwise neither goes.")
        }
        voidForm = mayVoid && void == nil
            ? VoidForm(tillID: payment.taken.tillID, number: payment.receiptNumber, reasonLabel: pick("Begrundelse for annullering", "Reason for the void"),
                       button: pick("Annullér betalingen", "Void the payment"))
            : nil
        newPayment = pick("Ny betaling", "New payment")
    }
}
