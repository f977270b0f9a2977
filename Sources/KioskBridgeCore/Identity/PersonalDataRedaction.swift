/// Keeps CPR numbers out of text that is meant for logs and people.
///
/// A value that failed validation is not a ``CPRNumber`` and cannot mask itself, yet it
/// is often a real number with a typo. Any input value that may be echoed back (a refused
/// payer field, a search query) passes through here first.
public enum PersonalDataRedaction {
    /// A value with seven or more digits shows at most its first six digits, so no
    /// mistyped CPR number can be read out of an error message or a log line.
    public static func safeEcho(_ value: String) -> String {
        let digits = value.utf8.filter { $0 >= 48 && $0 <= 57 }.count
        guard digits >= 7 else { return value }
        let prefix = value.utf8.prefix(6)
        if prefix.count == 6, prefix.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return String(decoding: prefix, as: UTF8.self) + "-****"
        }
        return "(\(value.count) characters, not shown)"
    }
}
