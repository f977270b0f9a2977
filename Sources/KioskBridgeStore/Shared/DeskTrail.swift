/// What the desk accounts' trail rows say: the same words on every backend.
public enum DeskTrail {
    public static func disabled(name: String, disabled: Bool, endedSessions: Int, by: String) -> String {
        disabled
            ? "desk account \(name) disabled by \(by); \(endedSessions) session\(endedSessions == 1 ? "" : "s") ended"
            : "desk account \(name) enabled by \(by)"
    }

    public static func role(name: String, from old: DeskRole, to new: DeskRole, by: String) -> String {
        "desk account \(name): role \(old.rawValue) → \(new.rawValue), by \(by)"
    }
}
