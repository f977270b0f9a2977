import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The desk's day view: what each kiosk took today, and what was refused and why, so the
/// desk sees a problem before the patron does.
struct DayPage {
    struct KioskLine {
        let kioskID: String
        let location: String
        let count: Int
        let sum: String
        let tenders: String
        let exported: String
        let pending: String
        let rejected: String
        let hasRejected: Bool
    }

    struct Refusal {
        let what: String
        let when: String
        let headline: String
        let reason: String
    }

    let dateText: String
    let date: String
    let previous: String
    let next: String?
    let kiosks: [KioskLine]
    let total: KioskLine
    let refusedFiles: [Refusal]
    let refusedRecords: [Refusal]
    // Stored, not computed: templates see stored properties only.
    let nothing: Bool
    let anyRefused: Bool
    let hasRefusedFiles: Bool
    let hasRefusedRecords: Bool

    init(day: Reconciliation, language: DeskLanguage, today: LocalDate) {
        let dates = DeskDates(language: language)
        dateText = "\(dates.weekday(day.date)) \(dates.date(day.date))"
        date = day.date.description
        previous = day.date.adding(days: -1).description
        next = day.date < today ? day.date.adding(days: 1).description : nil
        func line(_ kiosk: Reconciliation.KioskDay) -> KioskLine {
            let tenders = kiosk.byTender.sorted { $0.key < $1.key }.map { tender, tally in
                "\(LookupPage.tender(tender, language)) \(tally.count) · \(dates.amount(tally.sum))"
            }.joined(separator: ", ")
            return KioskLine(kioskID: kiosk.kioskID, location: kiosk.location, count: kiosk.received.count,
                             sum: dates.amount(kiosk.received.sum), tenders: tenders, exported: dates.amount(kiosk.exported.sum),
                             pending: dates.amount(kiosk.pending.sum),
                             rejected: "\(kiosk.rejected.count) · \(dates.amount(kiosk.rejected.sum))", hasRejected: kiosk.rejected.count > 0)
        }
        let active = day.kiosks.filter { $0.received.count > 0 || !$0.files.isEmpty }
        kiosks = active.map(line)
        total = line(day.totals)
        let files = active.flatMap(\.files) + day.filesWithoutKiosk
        refusedFiles = files.filter { $0.verdict == .rejected }.map { file in
            Refusal(what: file.name, when: dates.moment(file.receivedAt),
                    headline: language.pick("Hele filen er afvist; ingen betalinger fra den er bogført.",
                                            "The whole file was refused; no payment from it was booked."),
                    reason: PersonalDataRedaction.redactCPRs(in: file.reason ?? ""))
        }
        refusedRecords = active.flatMap(\.rejectedRecords).filter { !$0.wholeFile }.map { record in
            let receipt = record.receipt.map { language.pick("kvittering ", "receipt ") + $0 } ?? ""
            return Refusal(what: [record.kioskID, receipt, dates.amount(record.amount)].filter { !$0.isEmpty }.joined(separator: " · "),
                           when: "\(record.fileName), " + language.pick("linje \(record.line)", "line \(record.line)"),
                           headline: "", reason: PersonalDataRedaction.redactCPRs(in: record.reason))
        }
        nothing = kiosks.isEmpty
        hasRefusedFiles = !refusedFiles.isEmpty
        hasRefusedRecords = !refusedRecords.isEmpty
        anyRefused = hasRefusedFiles || hasRefusedRecords
    }
}
