import HummingbirdBcrypt

/// Desk passwords: bcrypt hashes in the database, never the passwords themselves.
public enum DeskPasswords {
    /// At least this many characters: the desk shows citizens' payments and CPR numbers.
    public static let minimumLength = 10

    public static func hash(_ password: String, cost: UInt8 = 12) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// Nil when the password may be used; otherwise why not.
    public static func problem(with password: String, name: String) -> String? {
        if password.count < minimumLength { return "the password must have at least \(minimumLength) characters" }
        if password.lowercased().contains(name.lowercased()) { return "the password must not contain the account name" }
        return nil
    }

    /// Checked against a hash of nothing when the account does not exist, so that an
    /// unknown name takes as long to refuse as a wrong password.
    static let decoy = Bcrypt.hash("no such account", cost: 12)
}
