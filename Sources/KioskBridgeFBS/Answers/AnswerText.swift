import KioskBridgeCore

/// How a piece of an FBS answer may appear in an error message: at most 80 characters,
/// with the whole length when cut, and never a CPR number.
enum AnswerText {
    static let maximumEcho = 80

    /// `text` cut to 80 characters, followed by its length when it was longer.
    static func cut(_ text: String) -> String {
        guard text.count > maximumEcho else { return text }
        return String(text.prefix(maximumEcho)) + "… (\(text.count) characters)"
    }

    /// `text` as it may be echoed: every CPR-like number masked, the CPR number the call
    /// was about masked wherever it appears, and cut.
    static func echo(_ text: String, hiding cpr: CPRNumber?) -> String {
        var shown = text
        if let cpr { shown = shown.replacing(cpr.digits, with: cpr.masked) }
        return cut(PersonalDataRedaction.redactCPRs(in: shown))
    }
}
