import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// debtor-export.md "Profile csv"
@Suite("debtor-export.md: profile csv")
struct CSVExportRendererTests {
    static func instant(_ text: String) -> Instant { try! Timestamp.parse(text).get() }

    static let lines = [
        ExportLine(kind: .reversal, transactionID: "K42-1", kioskID: "KIOSK-0042", receipt: "B-1",
                   paidAt: instant("2026-11-20T10:00:00+01:00"), payerDigits: "0101901234", payerIsCompany: false,
                   debtorClaimType: "BIBGEBYR", claimID: "F-1", amount: Amount(ore: -2000)),
        ExportLine(kind: .payment, transactionID: "K42-2", kioskID: "KIOSK-0042", receipt: "B-2",
                   paidAt: instant("2026-11-23T09:02:11+01:00"), payerDigits: "0101901234", payerIsCompany: false,
                   debtorClaimType: "BIBGEBYR", claimID: "F-2", amount: Amount(ore: 2000)),
        ExportLine(kind: .surplus, transactionID: "K42;3", kioskID: "KIOSK-0042", receipt: "B-\"3\"",
                   paidAt: instant("2026-07-01T12:00:00+02:00"), payerDigits: "29000018", payerIsCompany: true,
                   debtorClaimType: "BIBERSTAT", claimID: nil, amount: Amount(ore: 550)),
    ]

    @Test("Header, L lines with local timestamps and decimal comma, trailer with count and sum; LF; quoting where needed")
    func bytes() throws {
        let info = ExportBatchInfo(batchID: "kioskpay_20261123_000001", sequence: 1, createdAt: Self.instant("2026-11-23T10:20:00+01:00"),
                                   lineCount: 3, sum: Amount(ore: 550), profile: "kioskpay")
        let bytes = try CSVExportRenderer().render(batch: info, lines: Self.lines)
        #expect(String(decoding: bytes, as: UTF8.self) == #"""
            H;1;kioskpay_20261123_000001;1;2026-11-23T10:20:00+01:00
            L;1;REVERSAL;K42-1;KIOSK-0042;B-1;2026-11-20T10:00:00+01:00;0101901234;BIBGEBYR;F-1;-20,00
            L;2;PAYMENT;K42-2;KIOSK-0042;B-2;2026-11-23T09:02:11+01:00;0101901234;BIBGEBYR;F-2;20,00
            L;3;SURPLUS;"K42;3";KIOSK-0042;"B-""3""";2026-07-01T12:00:00+02:00;29000018;BIBERSTAT;;5,50
            T;3;5,50

            """#)
    }

    @Test("An empty batch is a header and a zero trailer")
    func emptyBatch() throws {
        let info = ExportBatchInfo(batchID: "b", sequence: 4, createdAt: Self.instant("2026-11-23T10:20:00+01:00"), lineCount: 0,
                                   sum: .zero, profile: "kioskpay")
        #expect(String(decoding: try CSVExportRenderer().render(batch: info, lines: []), as: UTF8.self)
            == "H;1;b;4;2026-11-23T10:20:00+01:00\nT;0;0,00\n")
    }

    @Test("Determinism: the same batch renders to the same bytes")
    func sameBytes() throws {
        let info = ExportBatchInfo(batchID: "b", sequence: 1, createdAt: Self.instant("2026-11-23T10:20:00+01:00"), lineCount: 3,
                                   sum: Amount(ore: 550), profile: "p")
        #expect(try CSVExportRenderer().render(batch: info, lines: Self.lines) == CSVExportRenderer().render(batch: info, lines: Self.lines))
    }
}
