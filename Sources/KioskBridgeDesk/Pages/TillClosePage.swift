import KioskBridgeCore
import KioskBridgeRuntime
import KioskBridgeStore

/// The till close (kasseopgørelse, `/kasseopgoerelse`): the day's registered cash, the
/// counted cash entered at the end of the day, and the difference.
struct TillClosePage {
    struct Line {
        let label: String
        let value: String
    }

    struct Result {
        let text: String
        let resultClass: String
    }

    let heading: String
    let tillID: String
    let lines: [Line]
    let result: Result?
    let refusals: [String]
    let hasRefusals: Bool
    let countedLabel: String
    let noteLabel: String
    let button: String

    init(till: TillSettings, date: LocalDate, registered: Amount, close: TillClose?, refusals: [TillRefusal] = [], language: DeskLanguage) {
        let pick = language.pick
        let dates = DeskDates(language: language)
        heading = pick("Kasseopgørelse \(till.id), \(dates.date(date))", "Till close \(till.id), \(dates.date(date))")
        tillID = till.id
        var lines = [Line(label: pick("Registreret kontant i dag", "Cash registered today"), value: dates.amount(registered))]
        if let close {
            lines += [
                Line(label: pick("Optalt", "Counted"), value: dates.amount(close.counted)),
                Line(label: pick("Registreret ved optællingen", "Registered at the count"), value: dates.amount(close.registered)),
                Line(label: pick("Difference", "Difference"), value: dates.amount(close.difference)),
                Line(label: pick("Optalt af", "Counted by"), value: "\(close.staff), \(dates.moment(close.closedAt))"),
            ]
            if let note = close.note { lines.append(Line(label: pick("Note", "Note"), value: note)) }
            let difference = close.difference
            result = difference == .zero
                ? Result(text: pick("Kassen stemmer.", "The till balances."), resultClass: "ok")
                : Result(text: difference.isPositive
                            ? pick("Kassen har \(dates.amount(difference)) for meget.", "The till is \(dates.amount(difference)) over.")
                            : pick("Kassen mangler \(dates.amount(Amount.zero - difference)).", "The till is \(dates.amount(Amount.zero - difference)) short."),
                         resultClass: "error")
        } else {
            result = nil
        }
        self.lines = lines
        self.refusals = refusals.map { $0.text(english: language == .english) }
        hasRefusals = !refusals.isEmpty
        countedLabel = pick("Optalt kontant beløb i kroner", "Counted cash in kroner")
        noteLabel = pick("Note, valgfri", "Note, optional")
        button = close == nil ? pick("Gem kasseopgørelsen", "Save the till close") : pick("Gem en ny optælling", "Save a recount")
    }
}
