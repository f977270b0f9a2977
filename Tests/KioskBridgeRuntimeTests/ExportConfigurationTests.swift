import Foundation
import Testing
import KioskBridgeCore
import KioskBridgeFormats
@testable import KioskBridgeRuntime

/// debtor-export.md "Profile fixed" and the `[[export]]` keys of cli.md: a layout written
/// only in configuration, and configuration mistakes named by record and field.
@Suite("debtor-export.md: export profiles from the configuration")
struct ExportConfigurationTests {
    static let folder = "/srv/kioskbridge"

    static func load(_ exports: String, claimTypes: String = "BIBLIOTEKSGEBYR = \"BIBGEBYR\"\nERSTATNING = \"BIBERSTAT\"") throws -> BridgeConfiguration {
        try ConfigurationLoader.parse(text: "[claim_types]\n\(claimTypes)\n\n" + exports, path: folder + "/kioskbridge.toml")
    }

    /// The configuration error's text, or nil when the configuration loads.
    static func problem(_ exports: String, claimTypes: String = "BIBLIOTEKSGEBYR = \"BIBGEBYR\"") -> String? {
        do {
            _ = try load(exports, claimTypes: claimTypes)
            return nil
        } catch let error as BridgeError {
            #expect(error.exitCode == 64)
            return error.description
        } catch {
            return "\(error)"
        }
    }

    static func instant(_ text: String) -> Instant { (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0) }

    static let lines = [
        ExportLine(kind: .payment, transactionID: "K42-1", kioskID: "KIOSK-0042", receipt: "B-981", paidAt: instant("2026-11-21T14:02:11+01:00"),
                   payerDigits: "0101901234", payerIsCompany: false, debtorClaimType: "BIBGEBYR", claimID: "F-1001", amount: Amount(ore: 2000)),
        ExportLine(kind: .surplus, transactionID: "K42-1", kioskID: "KIOSK-0042", receipt: "B-981", paidAt: instant("2026-11-21T14:02:11+01:00"),
                   payerDigits: "0101901234", payerIsCompany: false, debtorClaimType: "BIBGEBYR", claimID: nil, amount: Amount(ore: 2050)),
        ExportLine(kind: .reversal, transactionID: "K42-Å", kioskID: "KIOSK-0042", receipt: "B-977", paidAt: instant("2026-11-20T09:00:00+01:00"),
                   payerDigits: "29000018", payerIsCompany: true, debtorClaimType: "BIBERSTAT", claimID: "F-0999", amount: Amount(ore: -15000)),
    ]

    static func render(_ profile: ExportProfile, lines: [ExportLine] = lines) throws -> [UInt8] {
        let info = ExportBatchInfo(batchID: "\(profile.prefix)_20261121_000004", sequence: 4, createdAt: instant("2026-11-21T14:20:00+01:00"),
                                   lineCount: lines.count, sum: lines.reduce(Amount.zero) { $0 + $1.amount }, profile: profile.name)
        return try profile.renderer().render(batch: info, lines: lines)
    }

    static let inlineLayout = """
        [[export]]
        profile = "fixed"
        prefix = "opus"
        line_ending = "CRLF"
        encoding = "ISO-8859-1"
        extension = "dat"

        [[export.header]]
        source = "constant"
        value = "H"
        width = 1
        [[export.header]]
        source = "sequence"
        width = 4
        [[export.header]]
        source = "created_at"
        pattern = "yyyyMMdd-HHmm"
        width = 13

        [[export.line]]
        source = "kind"
        width = 1
        map = { PAYMENT = "1", SURPLUS = "2", REVERSAL = "3" }
        [[export.line]]
        source = "payer"
        width = 10
        align = "right"
        pad = "0"
        [[export.line]]
        source = "claim_id"
        width = 8
        [[export.line]]
        source = "transaction_id"
        width = 6
        [[export.line]]
        source = "amount"
        width = 9
        [[export.line]]
        source = "amount"
        width = 9
        decimal_separator = ","
        sign = "trailing"
        align = "left"
        pad = "*"

        [[export.trailer]]
        source = "count"
        width = 3
        [[export.trailer]]
        source = "sum"
        width = 10
        sign = "leading"
        """

    @Test("fixed: a layout written only in configuration produces the expected bytes (CRLF, ISO-8859-1, padding, signs)")
    func inlineLayoutBytes() throws {
        let profile = try #require(try Self.load(Self.inlineLayout).exports.first)
        #expect(profile.fileExtension == "dat")
        let expected = "H000420261121-1420\r\n"
            + "10101901234F-1001  K42-1 000002000" + "20,00+***" + "\r\n"
            + "20101901234        K42-1 000002050" + "20,50+***" + "\r\n"
            + "30029000018F-0999  K42-Å -00015000" + "150,00-**" + "\r\n"
            + "003-000010950\r\n"
        let bytes = try Self.render(profile)
        #expect(bytes == expected.unicodeScalars.map { UInt8($0.value) }, "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("fixed: a value wider than its field stops the file, naming the record and the field; nothing is cut")
    func overflowIsAnError() throws {
        let profile = try #require(try Self.load(Self.inlineLayout).exports.first)
        var long = Self.lines
        long[0] = ExportLine(kind: .payment, transactionID: "K42-1234", kioskID: "KIOSK-0042", receipt: "B-1", paidAt: Self.instant("2026-11-21T14:02:11+01:00"),
                             payerDigits: "0101901234", payerIsCompany: false, debtorClaimType: "BIBGEBYR", claimID: "F-1", amount: Amount(ore: 1))
        do {
            _ = try Self.render(profile, lines: long)
            Issue.record("an 8-character transaction id must not fit a 6-character field")
        } catch let error as ExportDocumentError {
            #expect(error.message.contains("line record 1"))
            #expect(error.message.contains("line field 4 (transaction_id)"))
            #expect(error.message.contains("needs 8 characters, the layout gives it 6"))
        }
    }

    @Test("fixed: a character ISO-8859-1 cannot hold stops the file")
    func latin1Only() throws {
        let profile = try #require(try Self.load(Self.inlineLayout).exports.first)
        var lines = Self.lines
        lines[0] = ExportLine(kind: .payment, transactionID: "K€", kioskID: "KIOSK-0042", receipt: "B-1", paidAt: Self.instant("2026-11-21T14:02:11+01:00"),
                              payerDigits: "0101901234", payerIsCompany: false, debtorClaimType: "BIBGEBYR", claimID: "F-1", amount: Amount(ore: 1))
        #expect(throws: ExportDocumentError.self) { try Self.render(profile, lines: lines) }
    }

    @Test("fixed: the shipped example layout in deploy/profiles loads from its file and gives records of fixed widths")
    func shippedExample() throws {
        let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/profiles/fixed-width-bs-style.toml").path
        let profile = try #require(try Self.load("""
            [[export]]
            profile = "fixed"
            prefix = "kioskfast"
            layout = "\(deploy)"
            """).exports.first)
        let text = String(decoding: try Self.render(profile, lines: Array(Self.lines.prefix(2))), as: UTF8.self)
        let records = text.components(separatedBy: "\r\n").dropLast()
        #expect(records.map(\.count) == [80, 120, 120, 80])
        #expect(records[0] == "KB002000004202611211420kioskfast_20261121_000004" + String(repeating: " ", count: 32))
        #expect(records[1].hasPrefix("KB0420000011P0101901234BIBGEBYR  F-1001"))
        #expect(records[1].contains("20261121000000002000+B-981      "))
        #expect(records[3] == "KB992000000002000000000004050+" + String(repeating: " ", count: 50))
    }

    @Test("fixed: layout mistakes are configuration errors naming the record and the field", arguments: [
        ("[[export.line]]\nsource = \"amount\"\nwidth = 0", "line field 1 (amount) width"),
        ("[[export.line]]\nsource = \"amount\"", "line field 1 (amount) width"),
        ("[[export.line]]\nsource = \"amout\"\nwidth = 5", "line field 1 source"),
        ("[[export.header]]\nsource = \"amount\"\nwidth = 5\n[[export.line]]\nsource = \"amount\"\nwidth = 5", "header field 1 source"),
        ("[[export.line]]\nsource = \"paid_at\"\nwidth = 8", "line field 1 (paid_at) pattern"),
        ("[[export.line]]\nsource = \"paid_at\"\nwidth = 8\npattern = \"YYYYMMDD\"", "line field 1 (paid_at) pattern"),
        ("[[export.line]]\nsource = \"constant\"\nvalue = \"TOO LONG\"\nwidth = 3", "line field 1 (constant) value"),
        ("[[export.line]]\nsource = \"receipt\"\nwidth = 3\npad = \"ab\"", "line field 1 (receipt) pad"),
        ("[[export.line]]\nsource = \"receipt\"\nwidth = 3\nsign = \"trailing\"", "line field 1 (receipt) sign"),
        ("[[export.line]]\nsource = \"amount\"\nwidth = 5\ndecimal_separator = \";\"", "line field 1 (amount) decimal_separator"),
        ("[[export.line]]\nsource = \"amount\"\nwidth = 5\nwidht = 3", "line field 1 widht: unknown key"),
        ("encoding = \"latin9\"\n[[export.line]]\nsource = \"amount\"\nwidth = 5", "encoding"),
        ("line_ending = \"CR\"\n[[export.line]]\nsource = \"amount\"\nwidth = 5", "line_ending"),
        ("[[export.header]]\nsource = \"count\"\nwidth = 5", "line: expected at least one field"),
        ("[[export.line]]\nsource = \"kind\"\nwidth = 1\nmap = { PAYMENT = \"PAY\" }", "line field 1 (kind) map"),
        ("[[export.line]]\nsource = \"constant\"\nvalue = \"€\"\nwidth = 1", "ISO-8859-1"),
    ])
    func layoutMistakes(layout: String, named: String) throws {
        let message = try #require(Self.problem("[[export]]\nprofile = \"fixed\"\nprefix = \"opus\"\n" + layout))
        #expect(message.contains("[[export]] #1 \(named)") || message.contains(named), "\(message)")
        #expect(message.hasPrefix("/srv/kioskbridge/kioskbridge.toml: "))
    }

    @Test("camt054: version, schema and account keys are checked; a schema file that cannot be used is exit 64")
    func camt054Keys() throws {
        let good = try #require(try Self.load("[[export]]\nprofile = \"camt054\"\nprefix = \"camt\"\nversion = \"camt.054.001.08\"\naccount = \"DK-BIB\"").exports.first)
        #expect(good.version == .v08)
        #expect(good.fileExtension == "xml")
        #expect(Self.problem("[[export]]\nprofile = \"camt054\"\nversion = \"camt.054.001.04\"")?.contains("version: expected \"camt.054.001.02\" or \"camt.054.001.08\"") == true)
        #expect(Self.problem("[[export]]\nprofile = \"camt054\"\nschema = \"/nowhere/camt.xsd\"")?.contains("schema: expected an XML Schema file") == true)
        #expect(Self.problem("[[export]]\nprofile = \"camt054\"\nprefix = \"a-prefix-of-twenty-chars\"")?.contains("prefix: expected at most 19 characters") == true)
        #expect(Self.problem("[[export]]\nprofile = \"csv\"\nversion = \"camt.054.001.02\"")?.contains("version: unknown key for profile \"csv\"") == true)
        #expect(Self.problem("[[export]]\nprofile = \"camt054\"", claimTypes: "BIBLIOTEKSGEBYR = \"\(String(repeating: "B", count: 36))\"")?
            .contains("[claim_types] BIBLIOTEKSGEBYR: expected a debtor code of at most 35 characters") == true)
    }

    @Test("Identifiers an export cannot carry are refused at intake: camt054's 35 characters, a fixed field's width")
    func identifierLimits() throws {
        #expect(try Self.load("[[export]]\nprofile = \"csv\"").identifierLimits == .kioskFormat)
        let camt = try Self.load("[[export]]\nprofile = \"camt054\"\nprefix = \"camt\"").identifierLimits
        #expect(camt.transactionID == 35)
        #expect(camt.claimID == 35)
        #expect(camt.receipt == 100)
        let fixed = try Self.load(Self.inlineLayout).identifierLimits
        #expect(fixed.transactionID == 6)
        #expect(fixed.claimID == 8)
        let fields = PaymentFields(transactionID: "K42-1234", paidAt: "2026-11-21T14:02:11+01:00", payer: "0101901234", claimType: "BIBLIOTEKSGEBYR",
                                   amount: Amount(ore: 100), tender: "CASH", receipt: "B-1", operatorID: nil)
        guard case .failure(let problem) = fields.validated(claimTypes: ClaimTypeMapping(["BIBLIOTEKSGEBYR": "BIBGEBYR"]), limits: fixed, line: 2) else {
            Issue.record("an 8-character transaction id must be refused when the export holds 6"); return
        }
        #expect(problem.description.contains("at most 6 characters (what the opus export's fixed-width fields can hold)"))
        // Counted in code points, as camt.054's maxLength counts them: e + combining accent is two.
        #expect(fixed.problem("e\u{301}e\u{301}e\u{301}e", limit: 6) != nil)
        #expect(fixed.problem("éééé", limit: 6) == nil)
    }

    @Test("deploy/kioskbridge.toml loads as shipped, and with its commented camt054 and fixed profiles switched on")
    func shippedConfiguration() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: repository.appendingPathComponent("deploy/kioskbridge.toml"), encoding: .utf8)
        let shipped = try ConfigurationLoader.parse(text: text, path: "/etc/kioskbridge/kioskbridge.toml")
        #expect(shipped.exports.map(\.kind) == [.csv])
        #expect(text.contains("[intake]"))
        #expect(shipped.plausibility == PlausibilityRules())
        var enabled = text
        for key in ["[[export]]", "profile = \"camt054\"", "prefix = \"kioskcamt\"", "outbox = \"/srv/debitor", "version = ", "account = ",
                    "profile = \"fixed\"", "prefix = \"kioskfast\""] {
            enabled = enabled.replacingOccurrences(of: "\n# " + key, with: "\n" + key)
        }
        enabled = enabled.replacingOccurrences(of: "# layout = \"/etc/kioskbridge/profiles/fixed-width-bs-style.toml\"",
                                               with: "layout = \"\(repository.path)/deploy/profiles/fixed-width-bs-style.toml\"")
        let all = try ConfigurationLoader.parse(text: enabled, path: "/etc/kioskbridge/kioskbridge.toml")
        #expect(all.exports.map(\.kind) == [.csv, .camt054, .fixed])
        #expect(all.exports[1].account == "DK-BIBLIOTEK-KIOSK")
    }

    @Test("init's configuration names every [intake] key with its default, commented")
    func templateIntakeKeys() throws {
        let text = BridgeSetup.configurationTemplate()
        for key in ["[intake]", "clock_skew_minutes = 10   #", "max_age_days = 60         #", "max_amount = \"50000,00\"   #"] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(try ConfigurationLoader.parse(text: text, path: "/tmp/kioskbridge.toml").plausibility == PlausibilityRules())
    }

    @Test("A typo the TOML library cannot take ([% or { %) is a configuration error with line and column, not a crash",
          arguments: [("[%", 6, 2), ("[[ %", 6, 4), ("x = { %a = 1 }", 6, 7), ("x = [{ a = 1 }, { $ = 2 }]", 6, 19), ("%x = 1", 6, 1), ("x=[}", 6, 4), ("x = }", 6, 5), ("x = [1,\n # c\n }]", 8, 2)])
    func typosTheLibraryCannotTake(line: String, row: Int, column: Int) {
        let message = Self.problem("[[export]]\nprofile = \"csv\"\n" + line + "\n")
        #expect(message?.contains("line \(row), column \(column):") == true, "\(message ?? "no error")")
    }

    @Test("Valid TOML passes the pre-check: strings with brackets and quotes, comments, multi-line arrays, inline tables")
    func precheckAcceptsValidTOML() {
        let text = #"""
            # [% in a comment
            [paths] # comment
            inbox = "in[%box"   # "quoted" [%
            'literal key' = 'it''s'
            "basic key" = """
            multi [% "line" \"""
            """
            list = [
              "a", # [%
              [1, 2],
              { a = 1, "b c" = 2 },
            ]
            [[export.line]]
            map = { PAYMENT = "1", SURPLUS = "{,[" }
            """#
        #expect(TOMLPrecheck.problem(in: text) == nil)
    }

    @Test("A control character in the configuration is a configuration error with line and column, not a crash")
    func controlCharacters() {
        let message = Self.problem("[[export]]\nprofile = \"csv\"\n[$\u{0}\u{0}#")
        #expect(message?.contains("line 6, column 3: a control character (U+0000)") == true, "\(message ?? "")")
    }
}
