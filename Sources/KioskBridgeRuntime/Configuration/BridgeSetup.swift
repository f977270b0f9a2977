import Foundation
public import KioskBridgeStore

/// Opens the store a configuration names (SQLite at `[paths] database`, or the
/// PostgreSQL schema of `[store]`). The executable, as the composition root, provides it:
/// the runtime never names a backend.
public typealias StoreOpener = @Sendable (BridgeConfiguration) async throws -> any BridgeStore

/// `init DIR` and the folders every command relies on.
public enum BridgeSetup {
    /// The commented configuration `init` writes. Paths are relative to its folder.
    public static func configurationTemplate(settleSeconds: Int = 2) -> String {
        """
        # kioskbridge configuration
        # Relative paths are relative to the folder of this file.
        # Every key below may be left out; the value shown is then the default.

        [paths]
        inbox = "inbox"              # where the kiosk vendor drops transaction files
        processing = "processing"    # files being taken in (keep it on the inbox's file system)
        outbox = "outbox"            # where the debtor system picks up import files
        archive = "archive"          # booked kiosk files by day, and a copy of every export file
        rejected = "rejected"        # refused kiosk files, each with <name>.reason.txt beside it
        worklist = "worklist"        # FBS worklist files for library staff (fbs_claims = "worklist")
        database = "kioskbridge.sqlite"

        [inbox]
        settle_seconds = \(settleSeconds)   # a file is taken in once unchanged for this long since first seen; 0 turns the check off
        poll_seconds = 5     # how often `kioskbridge watch` looks at the inbox

        [intake]             # what a well-formed file may still not say; a record that breaks a rule is refused, naming it
        clock_skew_minutes = 10   # a payment or void at most this long after its file's created at; a file's
                                  # created at, or a claims snapshot's as of, at most this long after now
        max_age_days = 60         # a payment or void at most this many days before its file's created at
        max_amount = "50000,00"   # the largest payment a kiosk can take, in kroner with a decimal comma (or 50000)

        [cycle]
        minutes = 20         # cycles run at multiples of this from midnight, local time (:00, :20, :40)

        [claim_types]        # kiosk claim type code = the debtor system's code; an unmapped kiosk code is rejected
        BIBLIOTEKSGEBYR = "BIBGEBYR"
        ERSTATNING = "BIBERSTAT"

        [allocation]
        fbs_claims = "skip"  # "skip": claims payable only in FBS are not paid here (the desk sees them);
                             # "worklist": they are paid in turn, and those parts go to an FBS worklist file;
                             # "fbs": FBS is asked for the payer's old fees, and a fee paid in full is
                             # registered in FBS (needs [fbs]; see docs/fbs.md)

        # [fbs]                # only with fbs_claims = "fbs"
        # base_url = "https://fbs.example/rest"
        # agency_id = "DK-761500"
        # credentials_file = "/etc/kioskbridge/fbs-credentials"   # two lines: username, password; mode 0600
        # give_up_after_hours = 24   # FBS has not registered a part this long: it goes to the worklist
        # claim_types = { fee = "BIBLIOTEKSGEBYR", compensation = "ERSTATNING" }   # FBS fee type = kiosk code

        [[export]]           # one table per export profile; several may stand side by side
        profile = "csv"      # the layout: "csv", "camt054" (ISO 20022) or "fixed" (a layout given here; see the documentation)
        prefix = "kioskpay"  # file names: <prefix>_<YYYYMMDD>_<sequence>.csv
        # name = "kioskpay"  # the name of this profile's sequence series (default: the prefix)
        # outbox = "outbox"  # this profile's folder (default: [paths] outbox)
        # done_marker = false  # write <name>.done after each file
        # empty_files = false  # write a file even when a cycle has nothing to export

        [desk]               # the desk's web page (kioskbridge serve); accounts: kioskbridge desk add-user NAME
        address = "127.0.0.1"
        port = 8080
        language = "da"      # "da" or "en"; any page also takes ?lang=en
        secure_cookies = false   # true when the desk is reached through HTTPS (a TLS proxy in front)
        session_hours = 8    # a login lasts this long; sessions are in the database, so every serve process knows them

        # [[till]]             # a desk till where staff with the role till take payments by hand (docs/desk.md)
        # id = "DESK-HOVED"    # a kiosk id of its own; receipts DESK-HOVED-000001, DESK-HOVED-000002, ...
        # location = "Hovedbiblioteket, skranken"

        [metrics]            # GET /metrics for Prometheus, answered by watch and serve
        address = "127.0.0.1"
        port = 9464
        enabled = true

        [claims]
        stale_after_hours = 36   # warn when the newest claims snapshot is older than this

        [status]             # kioskbridge status (exit 0 healthy, 1 warning, 2 critical)
        outbox_pickup_cycles = 3   # warn when an export file is still in the outbox after this many cycles; 0 = off

        [alerts]             # run a command when the status changes level (once per change, not per cycle)
        # command = "mail -s \"kioskbridge: $KIOSKBRIDGE_STATUS\" drift@kommune.dk"   # the status text arrives on stdin
        on_recovery = true   # also when it returns to ok
        timeout_seconds = 30 # the command is stopped if it has not finished by then (reading the status included)

        [database]
        busy_timeout_seconds = 10   # wait this long for another process's write before giving up (exit 74)

        [lease]              # which bridge works: one at a time holds the lease, others (watch) stand by
        seconds = 60         # a standby takes over this long after the holder stopped renewing

        [retention]          # kioskbridge purge: when CPR numbers of old payments may be pseudonymised
        years = 5                      # after the end of the financial year (the accounting law's default)
        financial_year_start = "01-01" # MM-DD
        key_file = "kioskbridge.key"   # the secret that keys the pseudonyms; made at the first purge, keep it safe

        [debtor]             # when the debtor system passes payments on to FBS
        runs = "business-days 21:00"               # or "daily HH:MM"; several times separated by commas
        closed_days = ["12-24", "12-31", "06-05"]  # also not business days (MM-DD), besides public holidays
        confirm_within_business_days = 2  # status warns when a DEBTOR snapshot has not confirmed an export by then

        """
    }

    /// Creates `folder` with a configuration, its folders and an empty database.
    /// Refuses to overwrite an existing configuration.
    public static func initialize(folder: String, settleSeconds: Int = 2, openStore: StoreOpener) async throws -> BridgeConfiguration {
        let configuration = try createFolder(folder, settleSeconds: settleSeconds)
        try await openStore(configuration).close()
        return configuration
    }

    /// Creates `folder` with a configuration and its folders, but no database yet.
    /// Refuses to overwrite an existing configuration.
    public static func createFolder(_ folder: String, settleSeconds: Int = 2) throws -> BridgeConfiguration {
        let root = ConfigurationLoader.absolute(folder, relativeTo: FileManager.default.currentDirectoryPath)
        let file = root + "/" + ConfigurationLoader.fileName
        if FileManager.default.fileExists(atPath: file) {
            throw BridgeError.configuration("\(file) already exists; kioskbridge init does not overwrite a configuration")
        }
        try FileSystem.ensureFolder(root, mode: 0o750)
        try FileSystem.writeAtomically(configurationTemplate(settleSeconds: settleSeconds), to: file, mode: 0o640)
        let configuration = try ConfigurationLoader.load(path: file)
        try FileSystem.ensureFolder(configuration.paths.inbox, mode: 0o770)
        for profile in configuration.exports { try FileSystem.ensureFolder(profile.outbox, mode: 0o750) }
        try prepareFolders(configuration)
        return configuration
    }

    /// Makes sure the bridge's own folders exist. Folders holding personal data
    /// (processing, archive, rejected) are the service user's alone. The inbox is not
    /// made here: an inbox share that went away must show as an error, not be replaced
    /// by an empty local folder that the vendor never writes to.
    public static func prepareFolders(_ configuration: BridgeConfiguration) throws {
        let paths = configuration.paths
        try FileSystem.ensureFolder(paths.processing, mode: 0o700)
        try FileSystem.ensureFolder(paths.archive, mode: 0o700)
        try FileSystem.ensureFolder(paths.rejected, mode: 0o700)
        try FileSystem.ensureFolder(paths.worklist, mode: 0o750)
        try FileSystem.ensureFolder((paths.database as NSString).deletingLastPathComponent, mode: 0o750)
    }
}
