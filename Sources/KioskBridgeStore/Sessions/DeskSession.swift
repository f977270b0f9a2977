public import KioskBridgeCore

/// The desk's accounts and its access log.
///
/// Who looked at whose personal data is the first question data-protection law asks, so
/// every search by CPR number and every reveal of a whole CPR number is a trail row with
/// the staff member's name, in the same tamper-evident chain as everything else.
public protocol DeskSession: AnyObject {
    func user(named name: String) async throws -> DeskUser?
    /// Adds an account, or replaces the password of an existing one.
    @discardableResult
    func saveUser(name: String, passwordHash: String, at: Instant) async throws -> DeskUser
    func users() async throws -> [DeskUser]
    /// One access-log row: `subject`/`subjectID` name what was looked at (a payment, a
    /// refused record, or the staff member for a search), `event` what happened.
    func logAccess(staff: String, subject: String, subjectID: RowID, event: String, cause: String, at: Instant) async throws
    /// Disables or enables an account (with its trail row); disabling ends its sessions at
    /// once. Nil when there is no such account.
    func setDisabled(name: String, disabled: Bool, by: String, at: Instant) async throws -> DeskUser?

    /// Gives an account a role (with its trail row). Nil when there is no such account.
    func setRole(name: String, role: DeskRole, by: String, at: Instant) async throws -> DeskUser?

    // MARK: Tills

    /// Stores a payment taken at a till with the till's next number, and its trail row; or,
    /// when the form's token booked one already, that one, and nothing new.
    func issueTillPayment(_ payment: NewTillPayment) async throws -> TillIssue
    /// Stores a void of a till payment with the till's next file number, and its trail row
    /// (the payment's too); a payment is voided once.
    func issueTillVoid(_ void: NewTillVoid) async throws -> TillVoidIssue
    func tillPayment(tillID: String, receiptNumber: Int) async throws -> TillPayment?
    func tillVoid(tillID: String, ofReceipt receiptNumber: Int) async throws -> TillVoid?
    /// The till's payments and voids not yet written out as a kiosk file: numbered above
    /// every file of the till the bridge has recorded, in order.
    func tillEntriesToFile(tillID: String) async throws -> [TillEntry]
    /// Every till that has taken a payment, configured now or not.
    func tillIDs() async throws -> [String]
    /// The cash the till took in [from, to), voided payments left out.
    func tillCash(tillID: String, from: Instant, to: Instant) async throws -> Amount
    /// Records a close (with its trail row). Closing a day again records a recount; the
    /// latest counts.
    func recordTillClose(tillID: String, date: LocalDate, counted: Amount, registered: Amount, staff: String, at: Instant,
                         note: String?) async throws -> TillClose

    // MARK: Sessions and login attempts, shared by every `serve` process

    func createSession(_ session: StoredDeskSession) async throws
    /// The session with this key hash, if it exists, has not expired at `at`, and its
    /// account is not disabled.
    func session(keyHash: String, at: Instant) async throws -> StoredDeskSession?
    func endSession(keyHash: String) async throws
    /// Failed logins counted under `key` (an account name, an address) since `since`.
    func loginFailures(key: String, since: Instant) async throws -> Int
    /// Counts a failed login under each key; a count whose last failure is older than
    /// `windowStart` starts again from one.
    func recordLoginFailure(keys: [String], at: Instant, windowStart: Instant) async throws
    func clearLoginFailures(key: String) async throws
}
