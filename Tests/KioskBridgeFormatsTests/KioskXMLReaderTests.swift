import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// kiosk-file.md "XML": validated against the project's schema with libxml2, read streaming.
@Suite("kiosk-file.md: XML")
struct KioskXMLReaderTests {
    static let example = """
        <?xml version="1.0" encoding="UTF-8"?>
        <KioskExport xmlns="urn:kioskbridge:kiosk-export:1" version="1"
                     kioskId="KIOSK-0042" location="Hovedbiblioteket, Åbyhøj"
                     sequence="123" createdAt="2026-11-21T14:15:00+01:00">
          <Payment id="K42-20261121-0001" paidAt="2026-11-21T14:02:11+01:00"
                   payer="0101901234" claimType="BIBLIOTEKSGEBYR" amount="40.00"
                   tender="CASH" receipt="B-000981"/>
          <Void id="K42-20261121-0003" voidedAt="2026-11-21T14:12:00+01:00"
                voids="K42-20261121-0001" amount="40.00" reason="wrong amount"/>
          <Control count="2" total="0.00"/>
        </KioskExport>

        """

    func read(_ text: String) -> TestFiles.Read { TestFiles.read(TestFiles.write(text, name: "k.xml")) }

    @Test("The spec's example reads as a header, a payment and a void")
    func specExample() {
        let result = read(Self.example)
        #expect(result.problem == nil)
        #expect(result.header?.location == "Hovedbiblioteket, Åbyhøj")
        #expect(result.header?.sequence == 123)
        #expect(TestFiles.payments(result).first?.amount == Amount(ore: 4000))
        guard case .void(let void, let place)? = result.entries.last else { Issue.record("expected a void"); return }
        #expect(void.reason == "wrong amount")
        // libxml2 numbers an element by the line on which its start tag ends.
        #expect(place.line == 9)
    }

    @Test("operator and reason are optional; everything else is required (schema)")
    func requiredAttributes() {
        let missing = Self.example.replacingOccurrences(of: "tender=\"CASH\" ", with: "")
        let problem = read(missing).problem
        #expect(problem?.code == .schemaViolation)
        #expect(problem?.line == 7)
        #expect(problem?.description.contains("tender") == true)
    }

    @Test("Any DOCTYPE rejects the file before it is parsed, naming line and column")
    func doctypeIsRefused() {
        let text = Self.example.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
                                                     with: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE KioskExport>\n")
        let problem = read(text).problem
        #expect(problem?.code == .doctype)
        #expect(problem?.line == 2)
        #expect(problem?.column == 1)
    }

    @Test("External entities are never resolved: a file declaring one is refused")
    func externalEntity() {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE KioskExport [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <KioskExport xmlns="urn:kioskbridge:kiosk-export:1" version="1" kioskId="K" location="&xxe;" sequence="1" createdAt="2026-11-21T14:15:00+01:00"><Control count="0" total="0.00"/></KioskExport>
            """
        let result = read(text)
        #expect(result.problem?.code == .doctype)
        #expect(result.header == nil)
    }

    @Test("Billion laughs is refused at once")
    func billionLaughs() {
        var entities = "<!ENTITY lol \"lol\">"
        for level in 1...9 {
            entities += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">"
        }
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE KioskExport [\(entities)]>\n<KioskExport>&lol9;</KioskExport>"
        #expect(read(text).problem?.code == .doctype)
    }

    @Test("Deep nesting is refused where it starts, without reading on")
    func deepNesting() {
        let depth = 100_000
        let text = "<?xml version=\"1.0\"?>\n<KioskExport xmlns=\"urn:kioskbridge:kiosk-export:1\" version=\"1\" kioskId=\"K\" location=\"L\" sequence=\"1\" createdAt=\"2026-11-21T14:15:00+01:00\">\n"
            + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "\n</KioskExport>\n"
        let problem = read(text).problem
        #expect(problem?.code == .schemaViolation || problem?.code == .malformedXML || problem?.code == .unknownRecordType)
        #expect((problem?.line ?? 99) <= 3)
    }

    @Test("A huge attribute (12 MB) is refused, not held")
    func hugeAttribute() {
        let text = Self.example.replacingOccurrences(of: "location=\"Hovedbiblioteket, Åbyhøj\"",
                                                     with: "location=\"" + String(repeating: "x", count: 12_000_000) + "\"")
        let problem = read(text).problem
        #expect(problem != nil)
        #expect(problem?.code == .malformedXML || problem?.code == .schemaViolation || problem?.code == .badHeader)
    }

    @Test("A value longer than 64 KiB rejects the file (the schema's bound); the schema's message quotes at most 80 characters of it")
    func valueBeyondTheSchemasBound() {
        let receipt = "B-" + String(repeating: "x", count: 99_998)
        let problem = read(Self.example.replacingOccurrences(of: "receipt=\"B-000981\"", with: "receipt=\"\(receipt)\"")).problem
        #expect(problem?.code == .schemaViolation)
        #expect(problem?.line == 7)
        #expect(problem?.description.contains("maxLength") == true)
        #expect(problem?.description.contains(String(repeating: "x", count: 81)) == false)
        #expect((problem?.description.count ?? .max) < 500)
    }

    @Test("A file that does not validate is rejected as a whole, with the schema error and its line")
    func schemaViolation() {
        // An element the schema does not know, between two valid ones: only schema validation finds it.
        let text = Self.example.replacingOccurrences(of: "  <Void id=", with: "  <Refund id=\"R-1\"/>\n  <Void id=")
        let problem = read(text).problem
        #expect(problem?.code == .schemaViolation)
        #expect(problem?.line == 8)
        #expect(problem?.description == "line 8: a document valid against the kiosk schema: Element '{urn:kioskbridge:kiosk-export:1}Refund': This element is not expected. Expected is one of ( {urn:kioskbridge:kiosk-export:1}Payment, {urn:kioskbridge:kiosk-export:1}Void, {urn:kioskbridge:kiosk-export:1}Control ).")
    }

    @Test("Amounts use a decimal point with at most two decimals; three decimals fail validation")
    func threeDecimals() {
        var text = Self.example
        if let first = text.range(of: "amount=\"40.00\"") { text.replaceSubrange(first, with: "amount=\"40.001\"") }
        let problem = read(text).problem
        #expect(problem?.code == .schemaViolation)
        #expect(problem?.line == 7)
    }

    @Test("A malformed document is rejected with line and column, and libxml2's words for what is wrong")
    func malformed() {
        let problem = read(Self.example.replacingOccurrences(of: "</KioskExport>", with: "</KioskExprt>")).problem
        #expect(problem?.code == .malformedXML)
        #expect((problem?.line ?? 0) >= 10)
        #expect(problem?.description.contains("KioskExprt") == true)
        let garbage = read("not xml at all\n").problem
        #expect(garbage?.code == .malformedXML)
        #expect(garbage?.description.contains("well-formed XML:") == true)
    }

    @Test("XML amounts in a refusal are written the XML way, with a decimal point")
    func refusedAmountsUseDecimalPoint() {
        var text = Self.example.replacingOccurrences(of: "<Control count=\"2\" total=\"0.00\"/>", with: "<Control count=\"2\" total=\"-40.00\"/>")
        if let payment = text.range(of: "amount=\"40.00\"") { text.replaceSubrange(payment, with: "amount=\"0.00\"") }
        let result = read(text)
        #expect(result.problem == nil)
        guard case .payment(let fields, let place)? = result.entries.first else { Issue.record("expected a payment"); return }
        guard case .failure(let problem) = fields.validated(claimTypes: ClaimTypeMapping(["BIBLIOTEKSGEBYR": "BIBGEBYR"]),
                                                            line: place.line, xml: true) else {
            Issue.record("a zero amount must be refused"); return
        }
        #expect(problem.description.contains("0.00"))
        #expect(!problem.description.contains("0,00"))
    }

    @Test("The Control element checks count and total like the CSV trailer")
    func controlMismatch() {
        let problem = read(Self.example.replacingOccurrences(of: "total=\"0.00\"", with: "total=\"40.00\"")).problem
        #expect(problem?.code == .trailerMismatch)
        #expect(problem?.description.contains("attribute total") == true)
    }

    @Test("A record-level problem (zero amount, bad payer) is not a schema error: the file validates")
    func recordProblemsValidate() {
        let text = Self.example.replacingOccurrences(of: "payer=\"0101901234\"", with: "payer=\"not-a-cpr\"")
        let result = read(text)
        #expect(result.problem == nil)
        #expect(TestFiles.payments(result).first?.payer == "not-a-cpr")
    }

    @Test("The root element must be KioskExport in the kiosk namespace")
    func wrongNamespace() {
        let problem = read(Self.example.replacingOccurrences(of: "urn:kioskbridge:kiosk-export:1", with: "urn:other")).problem
        #expect(problem != nil)
    }

    @Test("Latin-1 XML declared as such keeps its Danish letters")
    func latin1XML() {
        let text = Self.example.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
        let result = TestFiles.read(TestFiles.write(text, name: "k.xml", latin1: true))
        #expect(result.problem == nil)
        #expect(result.header?.location == "Hovedbiblioteket, Åbyhøj")
    }

    @Test("The prolog scan finds a DOCTYPE after comments and processing instructions, and not inside the root")
    func prologScan() {
        #expect(XMLProlog.doctypeLocation(in: Array("<?xml version=\"1.0\"?>\n<!-- x -->\n  <!doctype a>".utf8))! == (3, 3))
        #expect(XMLProlog.doctypeLocation(in: Array("<a><!DOCTYPE b></a>".utf8)) == nil)
    }
}
