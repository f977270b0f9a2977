public import KioskBridgeCore

/// Everything `kioskbridge.toml` says, checked and with paths made absolute.
public struct BridgeConfiguration: Sendable {
    /// Absolute folder and file paths.
    public struct Paths: Sendable, Hashable {
        public var inbox: String
        public var processing: String
        public var outbox: String
        public var archive: String
        public var rejected: String
        public var worklist: String
        public var database: String

        public init(inbox: String, processing: String, outbox: String, archive: String, rejected: String, worklist: String, database: String) {
            self.inbox = inbox
            self.processing = processing
            self.outbox = outbox
            self.archive = archive
            self.rejected = rejected
            self.worklist = worklist
            self.database = database
        }
    }

    /// The configuration file this came from (absolute), for messages.
    public var file: String
    public var paths: Paths
    /// Seconds a file must stay unchanged before it is taken in; 0 turns the check off.
    public var settleSeconds: Double
    /// How often `watch` looks at the inbox.
    public var pollSeconds: Double
    public var cycle: CycleSchedule
    public var claimTypes: ClaimTypeMapping
    public var fbsClaims: FBSClaimsPolicy
    /// `[[till]]`: the desk's tills, where staff take payments by hand.
    public var tills: [TillSettings] = []
    public var exports: [ExportProfile]
    public var deskAddress: String
    public var deskPort: Int
    public var staleAfterHours: Int
    public var debtorSchedule: DebtorSchedule
    /// `[debtor] confirm_within_business_days`: `status` warns when an export is still
    /// unconfirmed by a DEBTOR snapshot after this many business days, critical at twice.
    public var confirmWithinBusinessDays = 2
    /// `[desk] language`: `da` (default) or `en`; a page's `?lang=` overrides it.
    public var deskLanguage = "da"
    /// `[desk] secure_cookies`: the desk is reached through TLS, so its cookie is `Secure`.
    public var deskSecureCookies = false
    /// `[desk] session_hours`: a desk session ends this long after login.
    public var deskSessionHours = 8
    /// `[metrics]`: where `watch` and `serve` answer Prometheus' scrapes; nil port: off.
    public var metricsAddress = "127.0.0.1"
    public var metricsPort: Int? = 9464
    /// `[status] outbox_pickup_cycles`: warn when an export file lies in the outbox longer; 0 turns it off.
    public var outboxPickupCycles: Int = 3
    /// `[alerts] command`: run through `/bin/sh -c` when the status changes level.
    public var alertCommand: String?
    /// `[alerts] on_recovery`: also run it when the status returns to ok.
    public var alertOnRecovery = true
    /// `[alerts] timeout_seconds`: how long the command may take, start to exit, before it is stopped.
    public var alertTimeoutSeconds: Double = 30
    /// `[lease] seconds`: a standby takes over this long after the holder stopped renewing
    /// (at once when the holder's process has ended: the store can tell, hosting.md).
    public var leaseSeconds = 60

    /// How long a one-shot run (`cycle`, `ingest`, `purge`) may hold the lease: a cycle's
    /// interval. A run still going by then is stuck, and its lease is let lapse.
    public var longestRun: Duration { .seconds(cycle.minutes * 60) }
    /// `[retention]`: how long CPR numbers are kept before `purge` may pseudonymise them.
    public var retention = RetentionPeriod(financialYearStart: DanishBusinessDays.MonthDay("01-01") ?? DanishBusinessDays.defaultClosedDays[0])
    /// `[database] busy_timeout_seconds`: how long to wait for another process's write
    /// before giving up with exit 74.
    public var busyTimeoutSeconds: Double = 10
    /// `[intake]`: what a payment, a void, a file or a snapshot may plausibly say.
    public var plausibility = PlausibilityRules()
    /// `[retention] key_file`: the secret that keys the pseudonyms (absolute path).
    public var pseudonymKeyFile: String = ""
    /// `[store]`: the hosted store; nil: the embedded SQLite file at `[paths] database`.
    public var store: HostedStoreSettings?
    /// `[fbs]`: where FBS's API is, for `[allocation] fbs_claims = "fbs"` (required then).
    public var fbs: FBSSettings?

    public init(file: String, paths: Paths, settleSeconds: Double = 2, pollSeconds: Double = 5,
                cycle: CycleSchedule, claimTypes: ClaimTypeMapping, fbsClaims: FBSClaimsPolicy = .skip,
                exports: [ExportProfile], deskAddress: String = "127.0.0.1", deskPort: Int = 8080,
                staleAfterHours: Int = 36, debtorSchedule: DebtorSchedule) {
        self.file = file
        self.paths = paths
        self.settleSeconds = settleSeconds
        self.pollSeconds = pollSeconds
        self.cycle = cycle
        self.claimTypes = claimTypes
        self.fbsClaims = fbsClaims
        self.exports = exports
        self.deskAddress = deskAddress
        self.deskPort = deskPort
        self.staleAfterHours = staleAfterHours
        self.debtorSchedule = debtorSchedule
    }

    /// The longest transaction ids, receipt numbers and claim ids that every configured
    /// export can carry: camt.054 references hold 35 characters, a fixed-width field its width.
    public var identifierLimits: IdentifierLimits {
        var limits = IdentifierLimits.kioskFormat
        var reasons: [String] = []
        func lower(_ value: inout Int, to limit: Int, because reason: String) {
            guard limit < value else { return }
            value = limit
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        for profile in exports {
            switch profile.kind {
            case .csv:
                break
            case .camt054:
                let reason = "what the \(profile.name) export's camt.054 references can hold"
                lower(&limits.transactionID, to: 35, because: reason)
                lower(&limits.claimID, to: 35, because: reason)
            case .fixed:
                let reason = "what the \(profile.name) export's fixed-width fields can hold"
                for field in profile.layout?.line ?? [] where field.map.isEmpty {
                    switch field.source {
                    case .line(.transactionID): lower(&limits.transactionID, to: field.width, because: reason)
                    case .line(.receipt): lower(&limits.receipt, to: field.width, because: reason)
                    case .line(.claimID): lower(&limits.claimID, to: field.width, because: reason)
                    default: break
                    }
                }
            }
        }
        limits.reason = reasons.isEmpty ? nil : reasons.joined(separator: "; ")
        return limits
    }

    /// The debtor profiles and the FBS worklist. The worklist only ever gets a file when
    /// a part falls on an FBS claim (`fbs_claims = "worklist"`) or such a part is reversed.
    public var allSeries: [ExportProfile] {
        exports + [ExportProfile.fbsWorklist(folder: paths.worklist)]
    }
}
