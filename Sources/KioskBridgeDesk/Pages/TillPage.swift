import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The till's page (`/betaling`): the payment form, and after it the preview of how the
/// payment will be allocated, with the confirmation that books it.
struct TillPage {
    struct Option {
        let value: String
        let label: String
        let selected: Bool
    }

    struct Field {
        let name: String
        let value: String
    }

    struct ClaimLine {
        let id: String
        let created: String
        let channel: String
        let open: String
        let pays: String
    }

    struct Preview {
        let summary: String
        let claimsHeading: String
        let claimLabel: String, createdLabel: String, channelLabel: String, openLabel: String, paysLabel: String
        let claims: [ClaimLine]
        let noClaims: Bool
        let noClaimsText: String
        let surplus: String?
        let orderNote: String
        let booking: String
        let fields: [Field]
        let confirmButton: String
        let cancelText: String
    }

    let heading: String
    let tillLabel: String, payerLabel: String, claimTypeLabel: String, amountLabel: String, tenderLabel: String
    let referenceLabel: String, noteLabel: String, previewButton: String
    let tills: [Option]
    let claimTypes: [Option]
    let tenders: [Option]
    let payer: String
    let amount: String
    let reference: String
    let note: String
    let refusedHeading: String
    let refusals: [String]
    let hasRefusals: Bool
    let preview: Preview?

    init(form: TillForm, configuration: BridgeConfiguration, language: DeskLanguage, refusals: [TillRefusal] = [], preview: TillPreview? = nil,
         booking: String? = nil) {
        let pick = language.pick
        heading = pick("Tag imod en betaling", "Take a payment")
        tillLabel = pick("Kasse", "Till")
        payerLabel = pick("Betaler (CPR- eller CVR-nummer)", "Payer (CPR or CVR number)")
        claimTypeLabel = pick("Kravtype", "Claim type")
        amountLabel = pick("Beløb i kroner", "Amount in kroner")
        tenderLabel = pick("Betalingsmiddel", "Tender")
        referenceLabel = pick("Reference (fx MobilePay-transaktions-id), valgfri", "Reference (e.g. the MobilePay transaction id), optional")
        noteLabel = pick("Note, valgfri", "Note, optional")
        previewButton = pick("Vis fordelingen", "Show the allocation")
        tills = configuration.tills.map { Option(value: $0.id, label: "\($0.id) – \($0.location)", selected: $0.id == form.tillID) }
        claimTypes = configuration.claimTypes.debtorCodes.keys.sorted().map { Option(value: $0, label: $0, selected: $0 == form.claimType) }
        let tenderNames = ["MOBILEPAY": "MobilePay", "CASH": pick("Kontant", "Cash"), "CARD": pick("Kort", "Card")]
        tenders = TillForm.tenders.map { Option(value: $0, label: tenderNames[$0] ?? $0, selected: $0 == form.tender) }
        payer = form.payer
        amount = form.amount
        reference = form.reference
        note = form.note
        refusedHeading = pick("Betalingen er ikke bogført. Ret følgende:", "The payment is not booked. Correct the following:")
        self.refusals = refusals.map { $0.text(english: language == .english) }
        hasRefusals = !refusals.isEmpty
        self.preview = preview.map { Self.preview($0, form: form, booking: booking ?? "", language: language) }
    }

    static func preview(_ preview: TillPreview, form: TillForm, booking: String, language: DeskLanguage) -> Preview {
        let pick = language.pick
        let draft = preview.draft
        let pays = Dictionary(preview.parts.filter { $0.kind == .payment }.compactMap { part in part.claimID.map { ($0, part.amount) } },
                              uniquingKeysWith: +)
        let lines = preview.claims.map { claim in
            ClaimLine(id: claim.id, created: claim.createdOn.description,
                      channel: claim.payableIn == .fbs ? pick("FBS (gammelt gebyr)", "FBS (old fee)") : pick("Debitorsystemet", "Debtor system"),
                      open: claim.remaining.danishText, pays: pays[claim.id]?.danishText ?? "–")
        }
        let fields = [("till", form.tillID), ("payer", draft.payer.digits), ("claim_type", draft.claimType), ("amount", draft.amount.description),
                      ("tender", draft.tender), ("reference", draft.reference ?? ""), ("note", draft.note ?? "")].map { Field(name: $0.0, value: $0.1) }
        let surplus = preview.surplus
        return Preview(
            summary: pick("\(draft.amount.danishText) \(draft.tender) fra \(draft.payer) på kasse \(draft.till.id)",
                          "\(draft.amount.danishText) \(draft.tender) from \(draft.payer) at till \(draft.till.id)"),
            claimsHeading: pick("Betalerens åbne krav af typen \(draft.claimType), ældste først", "The payer's open claims of type \(draft.claimType), oldest first"),
            claimLabel: pick("Krav", "Claim"), createdLabel: pick("Oprettet", "Created"), channelLabel: pick("Betales i", "Paid in"),
            openLabel: pick("Udestående", "Outstanding"), paysLabel: pick("Denne betaling", "This payment"),
            claims: lines, noClaims: lines.isEmpty,
            noClaimsText: pick("Betaleren har ingen åbne krav af denne type.", "The payer has no open claims of this type."),
            surplus: surplus.isPositive ? pick("Overskud \(surplus.danishText): står til gode hos debitorsystemet.",
                                               "Surplus \(surplus.danishText): held as credit by the debtor system.") : nil,
            orderNote: pick("Fordelingen sker ved næste kørsel efter samme regler; venter betalerens tidligere betalinger stadig, fordeles de først.",
                            "The next cycle allocates it by the same rules; if earlier payments of the payer still wait, they are allocated first."),
            booking: booking, fields: fields,
            confirmButton: pick("Bogfør betalingen", "Book the payment"), cancelText: pick("Ret", "Change"))
    }
}
