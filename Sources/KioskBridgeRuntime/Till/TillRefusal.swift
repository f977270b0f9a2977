/// Why a till form books nothing: the field, what was found (never a whole CPR number)
/// and what was expected, in Danish and in English.
public struct TillRefusal: Error, Sendable, Hashable {
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case till, payer, claimType = "claim_type", amount, tender, reference, note, form

        public var danish: String {
            switch self {
            case .till: "Kasse"
            case .payer: "Betaler (CPR/CVR)"
            case .claimType: "Kravtype"
            case .amount: "Beløb"
            case .tender: "Betalingsmiddel"
            case .reference: "Reference"
            case .note: "Note"
            case .form: "Formular"
            }
        }

        public var english: String {
            switch self {
            case .till: "Till"
            case .payer: "Payer (CPR/CVR)"
            case .claimType: "Claim type"
            case .amount: "Amount"
            case .tender: "Tender"
            case .reference: "Reference"
            case .note: "Note"
            case .form: "Form"
            }
        }
    }

    public let field: Field
    /// What was entered, safe to show (a CPR number masked); nil when nothing was.
    public let found: String?
    public let expectedDanish: String
    public let expectedEnglish: String

    public init(_ field: Field, found: String?, danish: String, english: String) {
        self.field = field
        self.found = found
        self.expectedDanish = danish
        self.expectedEnglish = english
    }

    public func text(english: Bool) -> String {
        let shown = found.map { english ? " (entered: \($0))" : " (indtastet: \($0))" } ?? ""
        return english ? "\(field.english): expected \(expectedEnglish)\(shown)" : "\(field.danish): forventede \(expectedDanish)\(shown)"
    }
}
