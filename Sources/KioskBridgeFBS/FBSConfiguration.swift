import Foundation

/// Where FBS is and how long a call may take: the `[fbs]` settings the client needs.
///
/// The base URL must be `https://`, because the login sends the client's password and the
/// patron lookup a CPR number; plain `http://` is accepted only to this machine
/// (127.0.0.1, ::1, localhost), where a test stand-in or a local TLS proxy listens.
public struct FBSConfiguration: Hashable, Sendable {
    /// A call that takes longer than this fails with ``FBSError/Code/timeout``.
    public static let defaultTimeout: Duration = .seconds(10)
    public static let maximumTimeout: Duration = .seconds(600)

    /// `base_url`, e.g. `https://fbs.example/rest`, without a trailing `/`.
    public let baseURL: String
    /// `agency_id`: the library's ISIL code, e.g. `DK-761500`.
    public let agencyID: String
    /// `credentials_file`: two lines, username and password, readable by the service user only.
    public let credentialsFile: String
    /// How long one HTTP call (connect, send, the whole answer) may take.
    public let timeout: Duration

    public init(baseURL: String, agencyID: String, credentialsFile: String, timeout: Duration = defaultTimeout) throws(FBSError) {
        self.baseURL = try Self.checkedBaseURL(baseURL)
        self.agencyID = try Self.checkedAgencyID(agencyID)
        guard !credentialsFile.isEmpty else {
            throw Self.invalid("credentials_file", found: "an empty path", expected: "the path of a file with two lines, username and password")
        }
        self.credentialsFile = credentialsFile
        guard timeout > .zero, timeout <= Self.maximumTimeout else {
            throw Self.invalid("timeout", found: "\(timeout)", expected: "more than 0 and at most \(Self.maximumTimeout)")
        }
        self.timeout = timeout
    }

    static func invalid(_ key: String, found: String, expected: String) -> FBSError {
        FBSError(.invalidConfiguration, operation: nil, message: "[fbs] \(key): found \(found), expected \(expected)")
    }

    static func checkedBaseURL(_ text: String) throws(FBSError) -> String {
        let expected = "an https:// address such as https://fbs.example/rest (http:// only to 127.0.0.1, ::1 or localhost)"
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty else {
            throw invalid("base_url", found: "\"\(AnswerText.cut(text))\"", expected: expected)
        }
        // A user name or password in the URL would end up in logs; a query or fragment
        // would be glued into every call's path.
        guard components.user == nil, components.password == nil, components.query == nil, components.fragment == nil else {
            throw invalid("base_url", found: "an address with a user, query or fragment", expected: expected)
        }
        let loopback = ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw invalid("base_url", found: "\"\(AnswerText.cut(text))\"", expected: expected)
        }
        return trimmed
    }

    /// An ISIL code is a country prefix, a hyphen and letters or digits; it goes into
    /// every call's path, so nothing else is allowed.
    static func checkedAgencyID(_ text: String) throws(FBSError) -> String {
        let bytes = Array(text.utf8)
        let isAlphanumeric: (UInt8) -> Bool = { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }
        let parts = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard bytes.count <= 20, parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isAlphanumeric) }) else {
            throw invalid("agency_id", found: "\"\(AnswerText.cut(text))\"", expected: "the library's ISIL code, e.g. DK-761500")
        }
        return text
    }
}
