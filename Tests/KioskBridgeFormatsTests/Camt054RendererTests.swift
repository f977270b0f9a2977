import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// debtor-export.md "Profile camt054".
@Suite("debtor-export.md: profile camt054")
struct Camt054RendererTests {
    static func renderer(_ version: Camt054Version) throws -> Camt054Renderer {
        Camt054Renderer(version: version, account: "DK-BIB-0042", schema: try version.ownSchema())
    }

    static func document(_ version: Camt054Version, lines: [ExportLine] = ExportSamples.day) throws -> (bytes: [UInt8], xml: XMLDocument) {
        let bytes = try renderer(version).render(batch: ExportSamples.batch(lines: lines), lines: lines)
        return (bytes, try XMLDocument(data: Data(bytes)))
    }

    static func values(_ xml: XMLDocument, _ path: String) throws -> [String] {
        try xml.nodes(forXPath: path).compactMap(\.stringValue)
    }

    @Test("camt054: one Ntry per payment (CRDT) or reversal (DBIT), one TxDtls per allocated part", arguments: Camt054Version.allCases)
    func entriesAndParts(version: Camt054Version) throws {
        let (_, xml) = try Self.document(version)
        let entries = try xml.nodes(forXPath: "//*[local-name()='Ntry']")
        #expect(entries.count == 5)
        #expect(try Self.values(xml, "//*[local-name()='Ntry']/*[local-name()='CdtDbtInd']") == ["DBIT", "DBIT", "CRDT", "CRDT", "CRDT"])
        #expect(try Self.values(xml, "//*[local-name()='Ntry']/*[local-name()='Amt']") == ["25.00", "12.50", "30.00", "250.00", "1234567.89"])
        let partsPerEntry = try entries.map { try $0.nodes(forXPath: ".//*[local-name()='TxDtls']").count }
        #expect(partsPerEntry == [2, 1, 2, 2, 1])
        #expect(try Self.values(xml, "//*[local-name()='Ntry']/*[local-name()='RvslInd']") == ["true", "true"])
    }

    @Test("camt054: EndToEndId is the transaction id; the claim id is in RmtInf/Strd/CdtrRefInf/Ref; a surplus has none",
          arguments: Camt054Version.allCases)
    func references(version: Camt054Version) throws {
        let (_, xml) = try Self.document(version)
        #expect(try Self.values(xml, "//*[local-name()='EndToEndId']")
            == ["K42-0007", "K42-0007", "K7-0001", "K42-0010", "K42-0010", "K42-0011", "K42-0011", "K7-0002"])
        #expect(try Self.values(xml, "//*[local-name()='CdtrRefInf']/*[local-name()='Ref']") == ["F-1001", "F-1002", "F-1001", "F-1002", "F-0998"])
        #expect(try Self.values(xml, "//*[local-name()='RmtInf']/*[local-name()='Ustrd']") == ["SURPLUS", "SURPLUS", "SURPLUS"])
        #expect(try Self.values(xml, "//*[local-name()='CdtrRefInf']/*[local-name()='Tp']//*[local-name()='Prtry']").first == "BIBGEBYR")
    }

    @Test("camt054: the payer's CPR or CVR number is in the debtor party's private or organisation identification",
          arguments: Camt054Version.allCases)
    func payerIdentification(version: Camt054Version) throws {
        let (_, xml) = try Self.document(version)
        let persons = try Self.values(xml, "//*[local-name()='Dbtr']//*[local-name()='PrvtId']/*[local-name()='Othr']/*[local-name()='Id']")
        let companies = try Self.values(xml, "//*[local-name()='Dbtr']//*[local-name()='OrgId']/*[local-name()='Othr']/*[local-name()='Id']")
        #expect(Set(persons) == ["0101901234", "1505851237"])
        #expect(companies == ["29000018", "29000018"])
    }

    @Test("camt054: MsgId is the batch id, Ntfctn/Id the profile and sequence; the summary states count and control sum",
          arguments: Camt054Version.allCases)
    func header(version: Camt054Version) throws {
        let (_, xml) = try Self.document(version)
        #expect(try Self.values(xml, "//*[local-name()='GrpHdr']/*[local-name()='MsgId']") == ["camt_20261123_000007"])
        #expect(try Self.values(xml, "//*[local-name()='Ntfctn']/*[local-name()='Id']") == ["camt-000007"])
        #expect(try Self.values(xml, "//*[local-name()='TtlNtries']/*[local-name()='NbOfNtries']") == ["5"])
        // 25.00 + 12.50 reversed, 30.00 + 250.00 + 1,234,567.89 paid: magnitudes add up, the net is credit.
        #expect(try Self.values(xml, "//*[local-name()='TtlNtries']/*[local-name()='Sum']") == ["1234885.39"])
        #expect(try Self.values(xml, "//*[local-name()='TtlCdtNtries']/*[local-name()='Sum']") == ["1234847.89"])
        #expect(try Self.values(xml, "//*[local-name()='TtlDbtNtries']/*[local-name()='NbOfNtries']") == ["2"])
        #expect(try Self.values(xml, "//*[local-name()='AddtlTxInf']").last == "receipt Kvittering ';æøå', kiosk KIOSK-0007")
    }

    @Test("camt054: text with & < > \" is escaped and survives a round trip; a character XML cannot carry stops the document")
    func escaping() throws {
        let (bytes, xml) = try Self.document(.v02)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("B-&lt;10&gt; &amp; &quot;Åbyhøj&quot;"))
        #expect(try Self.values(xml, "//*[local-name()='AddtlTxInf']").contains("receipt B-<10> & \"Åbyhøj\", kiosk KIOSK-0042"))
        let hostile = [ExportSamples.line(.payment, "K42-\u{1}", claim: "F-1", ore: 100)]
        #expect(throws: ExportDocumentError.self) { try Self.renderer(.v02).render(batch: ExportSamples.batch(lines: hostile), lines: hostile) }
    }

    @Test("camt054: every document validates against the bridge's own schema", arguments: Camt054Version.allCases)
    func ownSchema(version: Camt054Version) throws {
        let path = ExportSamples.write(try Self.document(version).bytes)
        #expect(try version.ownSchema().validate(file: path).isEmpty)
        try Self.renderer(version).check(renderedFile: path)
        let empty = ExportSamples.write(try Self.document(version, lines: []).bytes)
        #expect(try version.ownSchema().validate(file: empty).isEmpty)
    }

    @Test("camt054: a document that breaks the schema is refused, naming the element and the rule")
    func invalidDocumentIsNamed() throws {
        let long = [ExportSamples.line(.payment, String(repeating: "T", count: 36), claim: "F-1", ore: 100)]
        let path = ExportSamples.write(try Self.renderer(.v02).render(batch: ExportSamples.batch(lines: long), lines: long))
        do {
            try Self.renderer(.v02).check(renderedFile: path)
            Issue.record("a 36-character EndToEndId must not validate")
        } catch let error as ExportDocumentError {
            #expect(error.message.contains("NtryRef") || error.message.contains("EndToEndId"))
            #expect(error.message.contains("maxLength"))
        }
    }

    @Test("camt054: a day of varied payments validates against the official ISO 20022 schema of its version",
          .enabled(if: ExportSamples.officialSchemaFolder != nil, "the official schemas are reference data outside the repository"),
          arguments: Camt054Version.allCases)
    func officialSchema(version: Camt054Version) throws {
        let official = try #require(try ExportSamples.officialSchema(version))
        for lines in [ExportSamples.day, [], Array(ExportSamples.day.prefix(3)), Array(ExportSamples.day.suffix(2))] {
            let path = ExportSamples.write(try Self.document(version, lines: lines).bytes)
            let problems = official.validate(file: path)
            #expect(problems.isEmpty, "\(problems.map(\.description))")
        }
    }
}
