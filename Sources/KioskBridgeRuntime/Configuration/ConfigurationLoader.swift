import Foundation
import KioskBridgeCore
import KioskBridgeFormats
import TOMLKit

/// Reads `kioskbridge.toml`.
///
/// Every mistake names the file, the key and what was expected, and an unknown key is a
/// mistake too: a misspelt `setle_seconds` silently ignored would leave the operator
/// believing the bridge waits when it does not.
public enum ConfigurationLoader {
    public static let fileName = "kioskbridge.toml"
    public static let systemPath = "/etc/kioskbridge/kioskbridge.toml"

    /// `--config`, else `$KIOSKBRIDGE_CONFIG`, else `./kioskbridge.toml`, else `/etc/kioskbridge/kioskbridge.toml`.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: String = FileManager.default.currentDirectoryPath) throws -> String {
        if let explicit { return absolute(explicit, relativeTo: currentDirectory) }
        if let fromEnvironment = environment["KIOSKBRIDGE_CONFIG"], !fromEnvironment.isEmpty {
            return absolute(fromEnvironment, relativeTo: currentDirectory)
        }
        let local = absolute(fileName, relativeTo: currentDirectory)
        if FileManager.default.fileExists(atPath: local) { return local }
        if FileManager.default.fileExists(atPath: systemPath) { return systemPath }
        throw BridgeError.configuration(
            "no configuration found: give --config FILE, set KIOSKBRIDGE_CONFIG, or create ./\(fileName) or \(systemPath) (kioskbridge init DIR writes one)")
    }

    public static func load(path: String) throws -> BridgeConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BridgeError.configuration("\(path): cannot read the configuration file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw BridgeError.configuration("\(path): the configuration file is not UTF-8 text")
        }
        return try parse(text: text, path: path)
    }

    /// Reads configuration text as if it were the file at `path` (relative paths resolve
    /// against that file's folder).
    public static func parse(text: String, path: String) throws -> BridgeConfiguration {
        try ConfigurationReader(path: path, root: try table(text: text, path: path)).configuration()
    }

    /// Parses TOML text, naming the file, line and column of a mistake.
    static func table(text: String, path: String) throws -> TOMLTable {
        if let problem = TOMLPrecheck.problem(in: text) {
            throw BridgeError.configuration("\(path): line \(problem.line), column \(problem.column): \(problem.message)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw BridgeError.configuration("\(path): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw BridgeError.configuration("\(path): not valid TOML (\(error))")
        }
    }

    static func absolute(_ path: String, relativeTo folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder.hasSuffix("/") ? folder + path : folder + "/" + path)
        return (joined as NSString).standardizingPath
    }
}

/// Walks the parsed TOML, key by key.
struct ConfigurationReader {
    let path: String
    let root: TOMLTable
    var folder: String { (path as NSString).deletingLastPathComponent }

    func fail(_ key: String, _ expected: String, found: (any TOMLValueConvertible)? = nil) -> BridgeError {
        var text = "\(path): \(key): expected \(expected)"
        if let found { text += ", found \(Self.show(found))" }
        return .configuration(text)
    }

    static func show(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "\"\(value.string ?? "")\""
        case .int: return String(value.int ?? 0)
        case .bool: return String(value.bool ?? false)
        case .table: return "a table"
        case .array: return "a list"
        default: return "a \(value.type)"
        }
    }

    func table(_ name: String, known: Set<String>) throws -> TOMLTable? {
        guard let value = root[name] else { return nil }
        guard let table = value.table else { throw fail("[\(name)]", "a table", found: value) }
        try rejectUnknown(table, in: "[\(name)]", known: known)
        return table
    }

    func rejectUnknown(_ table: TOMLTable, in section: String, known: Set<String>, owner: String? = nil) throws {
        for key in table.keys.sorted() where !known.contains(key) {
            let whose = owner.map { " for \($0)" } ?? ""
            throw BridgeError.configuration("\(path): \(section) \(key): unknown key\(whose) (known keys: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ table: TOMLTable?, _ key: String, in section: String) throws -> String? {
        guard let value = table?[key] else { return nil }
        guard let text = value.string else { throw fail("\(section) \(key)", "a string", found: value) }
        return text
    }

    func bool(_ table: TOMLTable?, _ key: String, in section: String) throws -> Bool? {
        guard let value = table?[key] else { return nil }
        guard let flag = value.bool else { throw fail("\(section) \(key)", "true or false", found: value) }
        return flag
    }

    func int(_ table: TOMLTable?, _ key: String, in section: String, expected: String, valid: (Int) -> Bool) throws -> Int? {
        guard let value = table?[key] else { return nil }
        guard let number = value.int, valid(number) else { throw fail("\(section) \(key)", expected, found: value) }
        return number
    }

    func seconds(_ table: TOMLTable?, _ key: String, in section: String, allowZero: Bool) throws -> Double? {
        guard let value = table?[key] else { return nil }
        let expected = allowZero ? "a number of seconds, 0 or more" : "a number of seconds greater than 0"
        let seconds: Double
        if let number = value.int { seconds = Double(number) } else if let number = value.double { seconds = number } else {
            throw fail("\(section) \(key)", expected, found: value)
        }
        guard seconds.isFinite, allowZero ? seconds >= 0 : seconds > 0, seconds <= 86_400 else {
            throw fail("\(section) \(key)", expected, found: value)
        }
        return seconds
    }

    func folderPath(_ table: TOMLTable?, _ key: String, default fallback: String) throws -> String {
        let value = try string(table, key, in: "[paths]") ?? fallback
        guard !value.isEmpty else { throw fail("[paths] \(key)", "a path") }
        return ConfigurationLoader.absolute(value, relativeTo: folder)
    }

    func configuration() throws -> BridgeConfiguration {
        let known: Set<String> = ["paths", "inbox", "intake", "cycle", "claim_types", "allocation", "export", "desk", "claims", "debtor",
                                  "status", "alerts", "retention", "database", "metrics", "lease", "store", "fbs", "till"]
        try rejectUnknown(root, in: "(top level)", known: known)

        let pathsTable = try table("paths", known: ["inbox", "outbox", "archive", "rejected", "worklist", "database", "processing"])
        let paths = BridgeConfiguration.Paths(
            inbox: try folderPath(pathsTable, "inbox", default: "inbox"),
            processing: try folderPath(pathsTable, "processing", default: "processing"),
            outbox: try folderPath(pathsTable, "outbox", default: "outbox"),
            archive: try folderPath(pathsTable, "archive", default: "archive"),
            rejected: try folderPath(pathsTable, "rejected", default: "rejected"),
            worklist: try folderPath(pathsTable, "worklist", default: "worklist"),
            database: try folderPath(pathsTable, "database", default: "kioskbridge.sqlite"))

        let inbox = try table("inbox", known: ["settle_seconds", "poll_seconds"])
        let settle = try seconds(inbox, "settle_seconds", in: "[inbox]", allowZero: true) ?? 2
        let poll = try seconds(inbox, "poll_seconds", in: "[inbox]", allowZero: false) ?? 5

        let cycleTable = try table("cycle", known: ["minutes"])
        let minutes = try int(cycleTable, "minutes", in: "[cycle]", expected: "a whole number of minutes that divides a day (e.g. 10, 15, 20, 30, 60)",
                              valid: { CycleSchedule(minutes: $0) != nil }) ?? 20
        guard let schedule = CycleSchedule(minutes: minutes) else { throw fail("[cycle] minutes", "a divisor of 1440") }

        var mapping: [String: String] = [:]
        if let value = root["claim_types"] {
            guard let types = value.table else { throw fail("[claim_types]", "a table of kiosk code = debtor code", found: value) }
            for key in types.keys.sorted() {
                guard let code = types[key]?.string, !code.isEmpty else {
                    throw fail("[claim_types] \(key)", "the debtor system's claim type code as a non-empty string", found: types[key])
                }
                mapping[key] = code
            }
        }

        let allocation = try table("allocation", known: ["fbs_claims"])
        var fbsClaims = FBSClaimsPolicy.skip
        if let text = try string(allocation, "fbs_claims", in: "[allocation]") {
            guard let policy = FBSClaimsPolicy(rawValue: text) else {
                throw fail("[allocation] fbs_claims", "\"skip\", \"worklist\" or \"fbs\"", found: allocation?["fbs_claims"])
            }
            fbsClaims = policy
        }

        let outbox = paths.outbox
        let exports = try exportProfiles(defaultOutbox: outbox)
        try checkDebtorCodes(mapping, fit: exports)

        let desk = try table("desk", known: ["address", "port", "language", "secure_cookies", "session_hours"])
        let address = try string(desk, "address", in: "[desk]") ?? "127.0.0.1"
        let port = try int(desk, "port", in: "[desk]", expected: "a TCP port number from 1 to 65535", valid: { (1...65_535).contains($0) }) ?? 8080

        let claims = try table("claims", known: ["stale_after_hours"])
        let stale = try int(claims, "stale_after_hours", in: "[claims]", expected: "a whole number of hours greater than 0", valid: { $0 > 0 }) ?? 36

        let debtor = try table("debtor", known: ["runs", "closed_days", "confirm_within_business_days"])
        var closedDays = DanishBusinessDays.defaultClosedDays
        if let value = debtor?["closed_days"] {
            guard let list = value.array else { throw fail("[debtor] closed_days", "a list of \"MM-DD\" strings", found: value) }
            closedDays = try list.map { item in
                guard let text = item.string, let day = DanishBusinessDays.MonthDay(text) else {
                    throw fail("[debtor] closed_days", "a list of \"MM-DD\" strings such as \"12-24\"", found: item)
                }
                return day
            }
        }
        let calendar = DanishBusinessDays(closedDays: closedDays)
        let runsText = try string(debtor, "runs", in: "[debtor]") ?? "business-days 21:00"
        guard let runs = DebtorSchedule(runsText, calendar: calendar) else {
            throw fail("[debtor] runs", DebtorSchedule.expectation, found: debtor?["runs"])
        }

        var configuration = BridgeConfiguration(file: path, paths: paths, settleSeconds: settle, pollSeconds: poll, cycle: schedule,
                                                claimTypes: ClaimTypeMapping(mapping), fbsClaims: fbsClaims, exports: exports,
                                                deskAddress: address, deskPort: port, staleAfterHours: stale, debtorSchedule: runs)
        if let days = try int(debtor, "confirm_within_business_days", in: "[debtor]", expected: "a whole number of business days from 1 to 60",
                              valid: { (1...60).contains($0) }) {
            configuration.confirmWithinBusinessDays = days
        }
        if let language = try string(desk, "language", in: "[desk]") {
            guard language == "da" || language == "en" else { throw fail("[desk] language", "\"da\" or \"en\"", found: desk?["language"]) }
            configuration.deskLanguage = language
        }
        configuration.deskSecureCookies = try bool(desk, "secure_cookies", in: "[desk]") ?? false
        configuration.deskSessionHours = try int(desk, "session_hours", in: "[desk]", expected: "a whole number of hours from 1 to 24",
                                                 valid: { (1...24).contains($0) }) ?? 8
        configuration.plausibility = try plausibilityRules()
        let metrics = try table("metrics", known: ["address", "port", "enabled"])
        configuration.metricsAddress = try string(metrics, "address", in: "[metrics]") ?? "127.0.0.1"
        let metricsPort = try int(metrics, "port", in: "[metrics]", expected: "a TCP port number from 1 to 65535", valid: { (1...65_535).contains($0) }) ?? 9464
        configuration.metricsPort = try bool(metrics, "enabled", in: "[metrics]") == false ? nil : metricsPort
        let status = try table("status", known: ["outbox_pickup_cycles"])
        configuration.outboxPickupCycles = try int(status, "outbox_pickup_cycles", in: "[status]",
                                                   expected: "a whole number of cycles, 0 or more (0 turns the check off)", valid: { $0 >= 0 }) ?? 3
        let alerts = try table("alerts", known: ["command", "on_recovery", "timeout_seconds"])
        if let command = try string(alerts, "command", in: "[alerts]") {
            guard !command.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("[alerts] command", "a command to run, or no command key") }
            configuration.alertCommand = command
        }
        configuration.alertOnRecovery = try bool(alerts, "on_recovery", in: "[alerts]") ?? true
        configuration.alertTimeoutSeconds = try seconds(alerts, "timeout_seconds", in: "[alerts]", allowZero: false) ?? 30
        let lease = try table("lease", known: ["seconds"])
        configuration.leaseSeconds = try int(lease, "seconds", in: "[lease]", expected: "a whole number of seconds from 2 to 3600",
                                             valid: { (2...3600).contains($0) }) ?? 60
        let database = try table("database", known: ["busy_timeout_seconds"])
        configuration.busyTimeoutSeconds = try seconds(database, "busy_timeout_seconds", in: "[database]", allowZero: true) ?? 10
        let retention = try table("retention", known: ["years", "financial_year_start", "key_file"])
        let years = try int(retention, "years", in: "[retention]", expected: "a whole number of years, 1 or more", valid: { $0 >= 1 }) ?? 5
        let startText = try string(retention, "financial_year_start", in: "[retention]") ?? "01-01"
        guard let start = DanishBusinessDays.MonthDay(startText) else {
            throw fail("[retention] financial_year_start", "a day of the year as \"MM-DD\", e.g. \"01-01\"", found: retention?["financial_year_start"])
        }
        configuration.retention = RetentionPeriod(years: years, financialYearStart: start)
        configuration.pseudonymKeyFile = ConfigurationLoader.absolute(try string(retention, "key_file", in: "[retention]") ?? "kioskbridge.key",
                                                                      relativeTo: folder)
        configuration.store = try hostedStore()
        configuration.fbs = try fbsSettings(required: fbsClaims == .fbs)
        configuration.tills = try tills()
        // The till's receipt numbers and transaction ids are its id and "-000001".
        let longest = min(configuration.identifierLimits.transactionID, configuration.identifierLimits.receipt) - 7
        if let till = configuration.tills.first(where: { $0.id.count > longest }) {
            throw fail("[[till]] id", "at most \(longest) characters with these exports (its receipts are \"\(till.id)-000001\")")
        }
        return configuration
    }

    func exportProfiles(defaultOutbox: String) throws -> [ExportProfile] {
        guard let value = root["export"] else {
            return [ExportProfile(name: "kioskpay", kind: .csv, prefix: "kioskpay", outbox: defaultOutbox)]
        }
        guard let list = value.array else { throw fail("[[export]]", "one or more [[export]] tables", found: value) }
        var profiles: [ExportProfile] = []
        for (index, item) in list.enumerated() {
            let section = "[[export]] #\(index + 1)"
            guard let table = item.table else { throw fail(section, "a table", found: item) }
            let common: Set<String> = ["profile", "name", "prefix", "outbox", "done_marker", "empty_files"]
            guard let kindText = try string(table, "profile", in: section) else {
                throw fail("\(section) profile", "\"csv\", \"camt054\" or \"fixed\" (the key is required)")
            }
            guard let kind = ExportProfile.Kind(rawValue: kindText) else {
                throw fail("\(section) profile", "\"csv\", \"camt054\" or \"fixed\"", found: table["profile"])
            }
            switch kind {
            case .csv: try rejectUnknown(table, in: section, known: common, owner: "profile \"csv\"")
            case .camt054: try rejectUnknown(table, in: section, known: common.union(["version", "schema", "account"]), owner: "profile \"camt054\"")
            case .fixed: try rejectUnknown(table, in: section, known: common.union(FixedWidthLayoutReader.layoutKeys).union(["layout"]),
                                           owner: "profile \"fixed\"")
            }
            let prefix = try string(table, "prefix", in: section) ?? "kioskpay"
            guard KioskID(prefix) != nil else {
                throw fail("\(section) prefix", "1 to 64 characters of A-Z a-z 0-9 . _ - (it becomes part of file names)", found: table["prefix"])
            }
            let name = try string(table, "name", in: section) ?? prefix
            guard KioskID(name) != nil, name != "fbs-worklist" else {
                throw fail("\(section) name", "1 to 64 characters of A-Z a-z 0-9 . _ -, not \"fbs-worklist\"", found: table["name"])
            }
            let outbox = try string(table, "outbox", in: section).map { ConfigurationLoader.absolute($0, relativeTo: folder) } ?? defaultOutbox
            var profile = ExportProfile(name: name, kind: kind, prefix: prefix, outbox: outbox,
                                        doneMarker: try bool(table, "done_marker", in: section) ?? false,
                                        emptyFiles: try bool(table, "empty_files", in: section) ?? false)
            switch kind {
            case .csv:
                break
            case .camt054:
                try readCamt054(table, section: section, into: &profile)
            case .fixed:
                profile.layout = try fixedLayout(table, section: section)
            }
            if profiles.contains(where: { $0.name == profile.name }) {
                throw fail("\(section) name", "a name (or prefix) different from the other [[export]] tables: \"\(name)\" is used twice")
            }
            if profiles.contains(where: { $0.outbox == profile.outbox && $0.prefix == profile.prefix }) {
                throw fail("\(section) prefix", "a prefix or outbox different from the other [[export]] tables (their files would collide)")
            }
            profiles.append(profile)
        }
        guard !profiles.isEmpty else { throw fail("[[export]]", "at least one [[export]] table") }
        return profiles
    }

    /// Every debtor claim type code must fit every export that writes it.
    func checkDebtorCodes(_ mapping: [String: String], fit exports: [ExportProfile]) throws {
        for (kioskCode, debtorCode) in mapping.sorted(by: { $0.key < $1.key }) {
            for profile in exports {
                var limit: (Int, String)?
                switch profile.kind {
                case .csv:
                    break
                case .camt054:
                    limit = (35, "the \(profile.name) export's camt.054 claim type (CdtrRefInf/Tp) holds 35")
                case .fixed:
                    if let field = profile.layout?.line.first(where: { $0.source == .line(.claimType) && $0.map[debtorCode] == nil }) {
                        limit = (field.width, "the \(profile.name) export's \(field.label) is \(field.width) wide")
                    }
                }
                if let (width, why) = limit, debtorCode.unicodeScalars.count > width {
                    throw fail("[claim_types] \(kioskCode)", "a debtor code of at most \(width) characters (\(why))", found: debtorCode)
                }
            }
        }
    }

    /// camt054's keys: `version`, `schema` (compiled now, so a bad file is exit 64), `account`.
    func readCamt054(_ table: TOMLTable, section: String, into profile: inout ExportProfile) throws {
        if let text = try string(table, "version", in: section) {
            guard let version = Camt054Version(rawValue: text) else {
                throw fail("\(section) version", "\"camt.054.001.02\" or \"camt.054.001.08\"", found: table["version"])
            }
            profile.version = version
        }
        profile.schema = try string(table, "schema", in: section).map { ConfigurationLoader.absolute($0, relativeTo: folder) }
        if let account = try string(table, "account", in: section) {
            guard (1...34).contains(account.unicodeScalars.count) else {
                throw fail("\(section) account", "1 to 34 characters (camt.054's account identification)", found: table["account"])
            }
            profile.account = account
        }
        // MsgId is the batch id (prefix + 16 characters) and Ntfctn/Id the name + 7: both at most 35.
        guard profile.prefix.count <= 19 else {
            throw fail("\(section) prefix", "at most 19 characters for camt054 (the batch id becomes MsgId, at most 35 characters)", found: table["prefix"])
        }
        guard profile.name.count <= 28 else {
            throw fail("\(section) name", "at most 28 characters for camt054 (name and sequence become Ntfctn/Id, at most 35 characters)",
                       found: table["name"] ?? table["prefix"])
        }
        do {
            _ = try profile.renderer()
        } catch {
            throw fail("\(section) schema", "an XML Schema file libxml2 can compile (\(error))", found: table["schema"])
        }
    }

    /// A fixed profile's layout: inline, or in the file its `layout` key names (relative to this file).
    func fixedLayout(_ table: TOMLTable, section: String) throws -> FixedWidthLayout {
        guard let file = try string(table, "layout", in: section) else {
            return try FixedWidthLayoutReader(reader: self, section: section).layout(from: table)
        }
        if let inline = FixedWidthLayoutReader.layoutKeys.first(where: { table[$0] != nil }) {
            throw fail("\(section) \(inline)", "no \(inline) key beside layout = \"\(file)\" (the layout file describes the whole layout)")
        }
        let layoutPath = ConfigurationLoader.absolute(file, relativeTo: folder)
        guard let data = FileManager.default.contents(atPath: layoutPath), let text = String(data: data, encoding: .utf8) else {
            throw fail("\(section) layout", "a readable UTF-8 layout file", found: table["layout"])
        }
        let layoutTable = try ConfigurationLoader.table(text: text, path: layoutPath)
        let layoutReader = ConfigurationReader(path: layoutPath, root: layoutTable)
        try layoutReader.rejectUnknown(layoutTable, in: "(top level)", known: FixedWidthLayoutReader.layoutKeys)
        return try FixedWidthLayoutReader(reader: layoutReader, section: "(layout)").layout(from: layoutTable)
    }
}
