import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The receipt lookup's results, as the page shows them: per payment (or refused record),
/// a timeline from the kiosk to FBS, and the claims that only FBS can take.
struct LookupPage {
    struct Step {
        let when: String
        let title: String
        let details: [String]
        let warning: Bool
    }

    struct ClaimLine {
        let claimID: String
        let claimType: String
        let createdOn: String
        let outstanding: String
    }

    struct Match {
        /// `payment:12`: what a reveal form names.
        let key: String
        /// The receipt number (or transaction id) that finds this match again, for the reveal
        /// form: never the CPR number a search may have used.
        let lookupQuery: String
        let heading: String
        let amount: String
        let status: String
        let statusClass: String
        let payer: String
        let payerLabel: String
        let canReveal: Bool
        let revealed: Bool
        let expected: String?
        let steps: [Step]
        let fbsClaims: [ClaimLine]
        let hasFBSClaims: Bool
        /// A till payment's printable receipt (`/kvittering`), with the words of its link.
        let receiptLink: String?
        let receiptLinkText: String
    }

    // Stored, not computed: templates see stored properties only.
    let query: String
    let matches: [Match]
    let nothingFound: Bool

    init(query: String, matches found: [ReceiptMatch], revealed: String?, configuration: BridgeConfiguration,
         language: DeskLanguage, now: Instant) {
        self.query = ReceiptLookup.shown(query)
        let dates = DeskDates(language: language)
        matches = found.map { Self.match($0, revealed: revealed, configuration: configuration, dates: dates, now: now) }
        nothingFound = !query.isEmpty && matches.isEmpty
    }

    static func key(_ match: ReceiptMatch) -> String { "\(match.subject):\(match.rowID)" }

    static func match(_ match: ReceiptMatch, revealed: String?, configuration: BridgeConfiguration, dates: DeskDates,
                      now: Instant) -> Match {
        let language = dates.language
        let isRevealed = revealed == key(match) && match.payerIsPerson && match.payerDigits != nil
        var payer = match.payer ?? "–"
        if isRevealed, let digits = match.payerDigits, digits.count == 10 {
            payer = String(digits.prefix(6)) + "-" + String(digits.suffix(4))
        }
        let (status, statusClass): (String, String) = switch match.status {
        case .received: (language.pick("Modtaget – venter på næste overførsel", "Received – waiting for the next transfer"), "waiting")
        case .exported: (language.pick("Overført til debitorsystemet", "Passed to the debtor system"), "done")
        case .voided: (language.pick("Annulleret", "Cancelled"), "voided")
        case .rejected: (language.pick("Afvist", "Refused"), "refused")
        }
        var expected: String?
        if let instant = match.expectedInFBS {
            expected = dates.expectedInFBS(instant, now: now)
        } else if match.status == .received {
            let cycle = configuration.cycle.boundary(after: now)
            let later = configuration.debtorSchedule.firstRun(after: cycle).map { dates.expectedInFBS($0, now: now) }
            expected = language.pick("Sendes ved næste kørsel kl. \(dates.clock(CopenhagenTime.localDateTime(at: cycle)))",
                                     "Sent with the next run at \(dates.clock(CopenhagenTime.localDateTime(at: cycle)))")
                + (later.map { language.pick("; i FBS derefter \($0)", "; in FBS then \($0)") } ?? "")
        }
        let claims = match.fbsOnlyClaims.map { claim in
            ClaimLine(claimID: claim.id, claimType: claim.claimType, createdOn: dates.date(claim.createdOn),
                      outstanding: dates.amount(claim.outstanding))
        }
        return Match(
            key: key(match),
            lookupQuery: match.receipt ?? match.transactionID ?? "",
            heading: language.pick("Kvittering ", "Receipt ") + (match.receipt ?? "–"),
            amount: match.amount.map(dates.amount) ?? "–",
            status: status, statusClass: statusClass,
            payer: payer,
            payerLabel: match.payerIsPerson ? language.pick("CPR-nummer", "CPR number") : language.pick("CVR-nummer", "CVR number"),
            canReveal: match.payerIsPerson && match.payerDigits != nil && !isRevealed,
            revealed: isRevealed,
            expected: expected,
            steps: steps(match, dates: dates, tills: configuration.tills),
            fbsClaims: claims,
            hasFBSClaims: !claims.isEmpty,
            receiptLink: tillReceiptLink(match, tills: configuration.tills, language: language),
            receiptLinkText: language.pick("Udskriv kvitteringen igen", "Print the receipt again"))
    }

    /// `/kvittering?kasse=DESK-HOVED&nr=1` for a booked payment of a configured till.
    static func tillReceiptLink(_ match: ReceiptMatch, tills: [TillSettings], language: DeskLanguage) -> String? {
        guard match.status != .rejected, let kiosk = match.kioskID, tills.contains(where: { $0.id == kiosk }),
              let receipt = match.receipt, receipt.hasPrefix(kiosk + "-"), let number = Int(receipt.dropFirst(kiosk.count + 1)) else { return nil }
        return "/kvittering?kasse=\(DeskApplication.formEncoded(kiosk))&nr=\(number)&lang=\(language.rawValue)"
    }

    static func tender(_ code: String?, _ language: DeskLanguage) -> String {
        switch code.flatMap(Tender.init(rawValue:)) {
        case .cash: language.pick("kontant", "cash")
        case .card: language.pick("kort", "card")
        case .mobilePay: "MobilePay"
        case nil: code ?? "–"
        }
    }

    static func steps(_ match: ReceiptMatch, dates: DeskDates, tills: [TillSettings] = []) -> [Step] {
        let language = dates.language
        var steps: [Step] = []
        let paidWhen = match.paidAt.map(dates.moment) ?? match.paidAtText ?? "–"
        var paidDetails = [[match.kioskID, match.location].compactMap { $0 }.joined(separator: ", ")]
        paidDetails.append([tender(match.tender, language), match.amount.map(dates.amount), match.claimType].compactMap { $0 }.joined(separator: " · "))
        if let transaction = match.transactionID { paidDetails.append(language.pick("Transaktion ", "Transaction ") + transaction) }
        let atTill = tills.contains { $0.id == match.kioskID }
        if let taker = match.operatorID, !taker.isEmpty {
            paidDetails.append(atTill ? language.pick("Modtaget af \(taker)", "Taken by \(taker)") : language.pick("Operatør \(taker)", "Operator \(taker)"))
        }
        steps.append(Step(when: paidWhen, title: atTill ? language.pick("Betalt ved skranken", "Paid at the counter")
                                                        : language.pick("Betalt ved kiosken", "Paid at the kiosk"),
                          details: paidDetails, warning: false))

        if let received = match.fileReceivedAt {
            let file = [match.sourceFile, match.line.map { language.pick("linje \($0)", "line \($0)") }].compactMap { $0 }.joined(separator: ", ")
            steps.append(Step(when: dates.moment(received), title: language.pick("Kioskens fil modtaget", "The kiosk's file received"),
                              details: [file], warning: false))
        }
        if match.status == .rejected {
            steps.append(Step(when: match.fileReceivedAt.map(dates.moment) ?? "", title: language.pick("Afvist", "Refused"),
                              details: [RefusalText.headline(code: match.reasonCode, language: language), match.reason ?? ""].filter { !$0.isEmpty },
                              warning: true))
            return steps
        }
        if let booked = match.bookedAt {
            steps.append(Step(when: dates.moment(booked), title: language.pick("Bogført i broen", "Booked in the bridge"), details: [], warning: false))
        }
        if let void = match.void {
            let effect = void.effect == .cancel
                ? language.pick("Betalingen var endnu ikke sendt; hverken den eller annulleringen går til debitorsystemet.",
                                "The payment had not been sent yet; neither it nor the cancellation goes to the debtor system.")
                : language.pick("Betalingen var sendt; en tilbageførsel går med næste fil.",
                                "The payment had been sent; a reversal goes out with the next file.")
            steps.append(Step(when: dates.moment(void.voidedAt), title: language.pick("Annulleret ved kiosken", "Cancelled at the kiosk"),
                              details: [void.reason, effect].compactMap { $0 }.filter { !$0.isEmpty }, warning: true))
        }
        let parts = match.allocations.filter { !$0.isReversal }
        if let first = parts.first {
            let lines = parts.map { stored -> String in
                let amount = dates.amount(stored.part.amount)
                switch (stored.part.kind, stored.part.channel) {
                case (.surplus, _):
                    return language.pick("Overskydende beløb, indestående på betalerens konto: \(amount)",
                                         "Surplus, credited to the payer's account: \(amount)")
                case (_, .fbs) where stored.fbs?.state == .registered:
                    return language.pick("\(stored.part.claimID ?? "–") (registreret i FBS, kvittering \(stored.fbs?.confirmationID ?? "–")): \(amount)",
                                         "\(stored.part.claimID ?? "–") (registered in FBS, confirmation \(stored.fbs?.confirmationID ?? "–")): \(amount)")
                case (_, .fbs) where stored.fbs?.state == .waiting:
                    return language.pick("\(stored.part.claimID ?? "–") (venter på at blive registreret i FBS): \(amount)",
                                         "\(stored.part.claimID ?? "–") (waits to be registered in FBS): \(amount)")
                case (_, .fbs) where stored.fbs?.state == .released:
                    return language.pick("\(stored.part.claimID ?? "–") (FBS ville ikke tage imod betalingen; beløbet er fordelt igen): \(amount)",
                                         "\(stored.part.claimID ?? "–") (FBS would not take it; the amount was allocated again): \(amount)")
                case (_, .fbs) where stored.fbs?.state == .refund:
                    return language.pick("\(stored.part.claimID ?? "–") (allerede betalt i FBS: skal tilbagebetales): \(amount)",
                                         "\(stored.part.claimID ?? "–") (already paid in FBS: a refund case): \(amount)")
                case (_, .fbs):
                    return language.pick("\(stored.part.claimID ?? "–") (kan kun betales i FBS; personalet registrerer den): \(amount)",
                                         "\(stored.part.claimID ?? "–") (payable in FBS only; staff register it): \(amount)")
                default:
                    return "\(stored.part.claimID ?? "–"): \(amount)"
                }
            }
            steps.append(Step(when: dates.moment(first.allocatedAt),
                              title: language.pick("Fordelt på gebyrer, ældste først", "Allocated to fees, oldest first"),
                              details: lines, warning: false))
        }
        if let export = match.export {
            steps.append(Step(when: dates.moment(export.at), title: language.pick("Sendt til debitorsystemet", "Sent to the debtor system"),
                              details: [language.pick("Fil \(export.file) (nr. \(export.sequence))", "File \(export.file) (no. \(export.sequence))")],
                              warning: false))
        }
        if let confirmation = match.debtorConfirmation {
            steps.append(confirmed(confirmation, title: language.pick("Bekræftet af debitorsystemet", "Confirmed by the debtor system"), dates: dates))
        }
        if let worklist = match.worklist {
            steps.append(Step(when: dates.moment(worklist.at), title: language.pick("På FBS-arbejdslisten til personalet", "On the FBS worklist for staff"),
                              details: [worklist.file], warning: false))
        }
        if let reversal = match.reversalExport {
            steps.append(Step(when: dates.moment(reversal.at), title: language.pick("Tilbageførsel sendt", "Reversal sent"),
                              details: [reversal.file], warning: false))
        }
        if let confirmation = match.reversalConfirmation {
            steps.append(confirmed(confirmation, title: language.pick("Tilbageførslen bekræftet af debitorsystemet",
                                                                      "The reversal confirmed by the debtor system"), dates: dates))
        }
        return steps
    }

    /// A DEBTOR snapshot's confirmation: when the debtor system had it booked, and which
    /// snapshot said so.
    static func confirmed(_ confirmation: DebtorConfirmation, title: String, dates: DeskDates) -> Step {
        let language = dates.language
        return Step(when: dates.moment(confirmation.asOf), title: title,
                    details: [language.pick("Ifølge \(confirmation.snapshotFile), indlæst \(dates.moment(confirmation.loadedAt))",
                                            "According to \(confirmation.snapshotFile), loaded \(dates.moment(confirmation.loadedAt))")],
                    warning: false)
    }
}
