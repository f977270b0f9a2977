import Foundation
public import KioskBridgeCore

/// A till payment as staff typed it, before it is checked.
public struct TillForm: Sendable, Hashable {
    public var tillID = ""
    public var payer = ""
    public var claimType = ""
    public var amount = ""
    public var tender = ""
    public var reference = ""
    public var note = ""

    public init() {}

    public static let tenders = ["MOBILEPAY", "CASH", "CARD"]
}

/// A till payment that passed every rule a kiosk record must pass (identifiers.md,
/// kiosk-file.md) and the configuration's: ready to preview and to book.
public struct TillDraft: Sendable, Hashable {
    public let till: TillSettings
    public let payer: Payer
    public let claimType: String
    public let amount: Amount
    public let tender: String
    public let reference: String?
    public let note: String?
}

/// What checking a till form gave.
public enum TillCheck: Sendable {
    case draft(TillDraft)
    /// Every refusal at once, each naming its field.
    case refused([TillRefusal])
}

extension TillForm {
    public func check(configuration: BridgeConfiguration) -> TillCheck {
        var refusals: [TillRefusal] = []
        let till = configuration.tills.first { $0.id == tillID }
        if till == nil {
            refusals.append(TillRefusal(.till, found: tillID.isEmpty ? nil : PersonalDataRedaction.safeEcho(tillID),
                                        danish: "en af kasserne i konfigurationen ([[till]])", english: "one of the configured tills ([[till]])"))
        }
        var payer: Payer?
        do { payer = try Payer(parsing: self.payer.trimmingCharacters(in: .whitespaces)) } catch {
            refusals.append(TillRefusal(.payer, found: self.payer.isEmpty ? nil : PersonalDataRedaction.safeEcho(self.payer),
                                        danish: "et CPR-nummer (10 cifre, evt. DDMMÅÅ-SSSS) eller et CVR-nummer (8 cifre): \(Self.danish(error))",
                                        english: "\(Payer.expectation): \(error)"))
        }
        if configuration.claimTypes.debtorCode(for: claimType) == nil {
            refusals.append(TillRefusal(.claimType, found: claimType.isEmpty ? nil : PersonalDataRedaction.safeEcho(claimType),
                                        danish: "en kravtype fra [claim_types]", english: "a claim type of [claim_types]"))
        }
        let amount = Self.amount(self.amount, limit: configuration.plausibility.maxAmount)
        if case .failure(let refusal) = amount { refusals.append(refusal) }
        if !Self.tenders.contains(tender) {
            refusals.append(TillRefusal(.tender, found: tender.isEmpty ? nil : PersonalDataRedaction.safeEcho(tender),
                                        danish: "MOBILEPAY, CASH eller CARD", english: "MOBILEPAY, CASH or CARD"))
        }
        let reference = Self.optionalText(self.reference, .reference, limit: 64, into: &refusals)
        let note = Self.optionalText(self.note, .note, limit: 200, into: &refusals)
        guard refusals.isEmpty, let till, let payer, case .success(let sum) = amount else { return .refused(refusals) }
        return .draft(TillDraft(till: till, payer: payer, claimType: claimType, amount: sum, tender: tender, reference: reference, note: note))
    }

    static func danish(_ problem: Payer.Problem) -> String {
        switch problem {
        case .empty: "feltet er tomt"
        case .wrongLength(let count): "det har \(count) tegn"
        case .notDigits: "det indeholder andet end cifre"
        case .impossibleBirthDate: "de første seks cifre er ikke en rigtig dato (DDMMÅÅ)"
        case .cvrLeadingZero: "et CVR-nummer kan ikke begynde med 0"
        case .cvrChecksum: "CVR-nummerets kontrolciffer passer ikke"
        }
    }

    /// Kroner with a decimal comma (or point) and at most two decimals, above zero and
    /// within the configured most plausible amount.
    static func amount(_ text: String, limit: Amount) -> Result<Amount, TillRefusal> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expected = (danish: "et beløb i kroner over 0 med højst to decimaler, fx 40 eller 40,50, højst \(limit.danishText)",
                        english: "an amount in kroner above 0 with at most two decimals, e.g. 40 or 40,50, at most \(limit.danishText)")
        let refusal = TillRefusal(.amount, found: trimmed.isEmpty ? nil : PersonalDataRedaction.safeEcho(trimmed),
                                  danish: expected.danish, english: expected.english)
        let separator: Character = trimmed.contains(".") && !trimmed.contains(",") ? "." : ","
        guard case .success(let amount) = AmountText.parse(trimmed, decimalSeparator: separator), amount.isPositive, amount <= limit else {
            return .failure(refusal)
        }
        return .success(amount)
    }

    /// The cash counted at a till close: kroner, 0 or more, at most two decimals.
    public static func countedCash(_ text: String, into refusals: inout [TillRefusal]) -> Amount? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let separator: Character = trimmed.contains(".") && !trimmed.contains(",") ? "." : ","
        guard case .success(let amount) = AmountText.parse(trimmed, decimalSeparator: separator), amount.ore >= 0 else {
            refusals.append(TillRefusal(.amount, found: trimmed.isEmpty ? nil : PersonalDataRedaction.safeEcho(trimmed),
                                        danish: "det optalte beløb i kroner, 0 eller mere, med højst to decimaler",
                                        english: "the counted amount in kroner, 0 or more, with at most two decimals"))
            return nil
        }
        return amount
    }

    public static func optionalText(_ text: String, _ field: TillRefusal.Field, limit: Int, into refusals: inout [TillRefusal]) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= limit, !trimmed.contains(where: { $0.isNewline || ($0.isASCII && ($0.asciiValue ?? 32) < 32) }) else {
            refusals.append(TillRefusal(field, found: nil, danish: "højst \(limit) tegn på én linje", english: "at most \(limit) characters on one line"))
            return nil
        }
        return PersonalDataRedaction.redactCPRs(in: trimmed)
    }
}
