import Foundation
import KioskBridgeCore
@testable import KioskBridgeFormats

/// Export lines for a varied day: partial payments over several claims, surpluses,
/// reversals (of claim parts and of a surplus), CVR payers, and text that must be escaped.
enum ExportSamples {
    static func instant(_ text: String) -> Instant {
        (try? Timestamp.parse(text).get()) ?? Instant(millisecondsSinceEpoch: 0)
    }

    static func line(_ kind: AllocationPart.Kind, _ transaction: String, claim: String?, ore: Int, payer: String = "0101901234",
                     company: Bool = false, receipt: String = "B-1", kiosk: String = "KIOSK-0042",
                     type: String = "BIBGEBYR", paidAt: String = "2026-11-23T09:02:11+01:00") -> ExportLine {
        ExportLine(kind: kind, transactionID: transaction, kioskID: kiosk, receipt: receipt, paidAt: instant(paidAt),
                   payerDigits: payer, payerIsCompany: company, debtorClaimType: type, claimID: claim, amount: Amount(ore: ore))
    }

    /// Reversals first (two parts of one void, then a reversed surplus), then payments.
    static let day: [ExportLine] = [
        line(.reversal, "K42-0007", claim: "F-1001", ore: -2000, paidAt: "2026-11-20T10:00:00+01:00"),
        line(.reversal, "K42-0007", claim: "F-1002", ore: -500, paidAt: "2026-11-20T10:00:00+01:00"),
        line(.reversal, "K7-0001", claim: nil, ore: -1250, payer: "29000018", company: true, kiosk: "KIOSK-0007"),
        line(.payment, "K42-0010", claim: "F-1001", ore: 2000, receipt: "B-<10> & \"Åbyhøj\""),
        line(.payment, "K42-0010", claim: "F-1002", ore: 1000, receipt: "B-<10> & \"Åbyhøj\""),
        line(.payment, "K42-0011", claim: "F-0998", ore: 24_995, payer: "1505851237", type: "BIBERSTAT",
             paidAt: "2026-07-01T12:00:00+02:00"),
        line(.surplus, "K42-0011", claim: nil, ore: 5, payer: "1505851237", type: "BIBERSTAT", paidAt: "2026-07-01T12:00:00+02:00"),
        line(.surplus, "K7-0002", claim: nil, ore: 123_456_789, payer: "29000018", company: true, receipt: "Kvittering ';æøå'",
             kiosk: "KIOSK-0007"),
    ]

    static func batch(lines: [ExportLine], profile: String = "camt", sequence: Int = 7) -> ExportBatchInfo {
        ExportBatchInfo(batchID: "\(profile)_20261123_\(LocalDate.pad(sequence, 6))", sequence: sequence,
                        createdAt: instant("2026-11-23T10:20:00+01:00"), lineCount: lines.count,
                        sum: lines.reduce(Amount.zero) { $0 + $1.amount }, profile: profile)
    }

    /// Where the official ISO 20022 schemas are: `$KIOSKBRIDGE_ISO20022_SCHEMAS`, or the
    /// shared reference folder beside the repository (they are reference data, not copied in).
    static var officialSchemaFolder: String? {
        var candidates: [String] = []
        if let folder = ProcessInfo.processInfo.environment["KIOSKBRIDGE_ISO20022_SCHEMAS"] { candidates.append(folder) }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repository.appendingPathComponent("../shared/schemas").standardizedFileURL.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/camt.054.001.02.xsd") }
    }

    static func officialSchema(_ version: Camt054Version) throws -> XMLSchema? {
        guard let folder = officialSchemaFolder else { return nil }
        return try XMLSchema(file: folder + "/\(version.rawValue).xsd")
    }

    static func write(_ bytes: [UInt8]) -> String {
        TestFiles.write(bytes, name: "document.xml")
    }
}
