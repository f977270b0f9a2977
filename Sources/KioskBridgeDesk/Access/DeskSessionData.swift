/// What a logged-in desk session remembers: who it is, and the token every form it is
/// shown must send back (so that another site cannot make a librarian's browser post).
struct DeskSessionData: Codable, Sendable {
    var staff: String
    var formToken: String
}
