/// The languages of the desk's pages: Danish for the librarians, English on request.
public enum DeskLanguage: String, Sendable, CaseIterable, Codable {
    case danish = "da"
    case english = "en"

    /// `?lang=en` on any page, else the configured default.
    public static func from(query: String?, default fallback: DeskLanguage) -> DeskLanguage {
        query.flatMap(DeskLanguage.init(rawValue:)) ?? fallback
    }

    func pick(_ danish: String, _ english: String) -> String {
        self == .danish ? danish : english
    }
}
