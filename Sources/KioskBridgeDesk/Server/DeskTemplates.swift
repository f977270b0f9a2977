import Mustache

/// The desk's page templates, compiled into the executable (an installed binary has no
/// resource folder beside it). Every value is HTML-escaped by Mustache's `{{ }}`; the
/// templates never use the unescaped `{{{ }}}`.
struct DeskTemplates: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        let sources: [(String, [UInt8])] = [
            ("layout-top", PackageResources.layout_top_mustache), ("layout-bottom", PackageResources.layout_bottom_mustache),
            ("login", PackageResources.login_mustache), ("lookup", PackageResources.lookup_mustache),
            ("day", PackageResources.day_mustache), ("message", PackageResources.message_mustache),
            ("till", PackageResources.till_mustache), ("till-receipt", PackageResources.till_receipt_mustache),
            ("till-close", PackageResources.till_close_mustache), ("accounts", PackageResources.accounts_mustache),
        ]
        for (name, bytes) in sources {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
    }

    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? ""
    }

    static let stylesheet = String(decoding: PackageResources.desk_css, as: UTF8.self)
}
