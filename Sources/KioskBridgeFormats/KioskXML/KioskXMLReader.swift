public import KioskBridgeCore
import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Reads the XML kiosk format with libxml2's streaming reader, validating against the
/// bridge's schema as it goes.
///
/// Memory stays flat however large the file. The file is rejected as a whole when it
/// holds a DOCTYPE, is not well-formed, or does not validate; every such error names the
/// line and column libxml2 reports.
public final class KioskXMLReader: KioskFileReading {
    private static let namespace = "urn:kioskbridge:kiosk-export:1"

    private let reader: xmlTextReaderPtr
    /// The open file libxml2 reads; kept open as long as the reader lives.
    private let file: ByteSource?
    /// For documents read from memory: libxml2 does not copy the buffer, so it lives here.
    private let memory: UnsafeMutableBufferPointer<CChar>?
    private let diagnostics = XMLDiagnostics()
    private let schema: XMLSchema
    private var tally = TrailerTally()
    private var finished = false

    /// Opens `path`, which must be a regular file (a link is not followed); a DOCTYPE is
    /// refused before libxml2 sees the document. The prolog and the document are read from
    /// the same open file.
    public init(path: String, schema: XMLSchema) throws {
        LibXML.prepare()
        xmlResetLastError()
        let file = try ByteSource(regularFileAt: path)
        var head = [UInt8](repeating: 0, count: 64 * 1024)
        let count = try file.read(into: &head)
        if let place = XMLProlog.doctypeLocation(in: head[0..<count]) {
            throw IntakeProblem(.doctype, line: place.line, column: place.column,
                                expected: "no DOCTYPE (kiosk XML files must not carry a document type declaration)")
        }
        try file.rewind()
        guard let reader = xmlReaderForFd(file.fileDescriptor, nil, nil, LibXML.safeReadOptions) else {
            throw IntakeProblem(.malformedXML, line: 0, expected: "a well-formed XML document (libxml2 could not start reading it)")
        }
        self.reader = reader
        self.file = file
        self.memory = nil
        self.schema = schema
        try attach(schema)
    }

    /// Reads a document held in memory (tests, fuzzing), with the same checks.
    public init(bytes: [UInt8], schema: XMLSchema) throws {
        LibXML.prepare()
        xmlResetLastError()
        if let place = XMLProlog.doctypeLocation(in: bytes.prefix(64 * 1024)) {
            throw IntakeProblem(.doctype, line: place.line, column: place.column,
                                expected: "no DOCTYPE (kiosk XML files must not carry a document type declaration)")
        }
        guard bytes.count < Int(Int32.max) else {
            throw IntakeProblem(.unreadableFile, line: 0, expected: "a document smaller than 2 GB")
        }
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes.map { CChar(bitPattern: $0) })
        guard let reader = xmlReaderForMemory(buffer.baseAddress, Int32(bytes.count), nil, nil, LibXML.safeReadOptions) else {
            buffer.deallocate()
            throw IntakeProblem(.malformedXML, line: 0, expected: "a well-formed XML document (libxml2 could not start reading it)")
        }
        self.reader = reader
        self.file = nil
        self.memory = buffer
        self.schema = schema
        try attach(schema)
    }

    private func attach(_ schema: XMLSchema) throws {
        xmlTextReaderSetStructuredErrorHandler(reader, XMLDiagnostics.handler, Unmanaged.passUnretained(diagnostics).toOpaque())
        if xmlTextReaderSetSchema(reader, schema.pointer) != 0 {
            throw IntakeProblem(.schemaViolation, line: 0, expected: "a document the kiosk schema can be applied to")
        }
    }

    deinit {
        // libxml2 does not close a descriptor it was handed; `file` closes it after this.
        xmlFreeTextReader(reader)
        memory?.deallocate()
    }

    /// Throws the first error libxml2 reported, if any.
    private func throwReportedErrors() throws(IntakeProblem) {
        guard let first = diagnostics.all.first else { return }
        throw IntakeProblem(first.isSchemaError ? .schemaViolation : .malformedXML, line: first.line,
                            column: first.column > 0 ? first.column : nil,
                            expected: (first.isSchemaError ? "a document valid against the kiosk schema: " : "well-formed XML: ")
                                + first.message, xml: true)
    }

    /// Advances to the next element start; nil at the end of the document.
    private func nextElement() throws(IntakeProblem) -> (name: String, line: Int)? {
        while true {
            let status = xmlTextReaderRead(reader)
            try throwReportedErrors()
            if status == 0 { return nil }
            if status < 0 {
                // libxml2 2.9 does not always hand a fatal parse error to the reader's handler;
                // it is then only in the thread's last error.
                if let last = xmlGetLastError() {
                    let diagnostic = XMLDiagnostic(last)
                    throw IntakeProblem(.malformedXML, line: diagnostic.line, column: diagnostic.column > 0 ? diagnostic.column : nil,
                                        expected: "well-formed XML: " + diagnostic.message, xml: true)
                }
                throw IntakeProblem(.malformedXML, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                    expected: "well-formed XML", xml: true)
            }
            let type = xmlTextReaderNodeType(reader)
            if type == Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue) {
                throw IntakeProblem(.doctype, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                                    expected: "no DOCTYPE (kiosk XML files must not carry a document type declaration)", xml: true)
            }
            guard type == Int32(XML_READER_TYPE_ELEMENT.rawValue) else { continue }
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            let node = xmlTextReaderCurrentNode(reader)
            let line = node.map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
            return (name, line)
        }
    }

    private func attributes() -> [String: String] {
        var values: [String: String] = [:]
        while xmlTextReaderMoveToNextAttribute(reader) == 1 {
            let name = xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
            let value = xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
            values[name] = value
        }
        xmlTextReaderMoveToElement(reader)
        return values
    }

    public func readHeader() throws -> KioskFileHeader {
        guard let root = try nextElement() else {
            throw IntakeProblem(.emptyFile, line: 0, expected: "a KioskExport element; the document is empty")
        }
        let namespace = xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) } ?? ""
        guard root.name == "KioskExport", namespace == KioskXMLReader.namespace else {
            throw IntakeProblem(.missingHeader, line: root.line, found: namespace.isEmpty ? root.name : "{\(namespace)}\(root.name)",
                                expected: "the root element KioskExport in namespace \(KioskXMLReader.namespace)", xml: true)
        }
        let values = attributes()
        return try KioskFileHeader(version: values["version"], kioskID: values["kioskId"], location: values["location"],
                                   sequence: values["sequence"], createdAt: values["createdAt"], line: root.line, xml: true)
    }

    private func amount(_ values: [String: String], _ field: RecordField, line: Int) throws(IntakeProblem) -> Amount {
        let text = values[field.xmlName ?? ""] ?? ""
        switch AmountText.parse(text[...], decimalSeparator: UInt8(ascii: ".")) {
        case .success(let amount): return amount
        case .failure:
            throw IntakeProblem(.unreadableAmount, line: line, field: field, found: text,
                                expected: AmountText.expectation(decimalSeparator: ".") + " (the Control total cannot be checked otherwise)",
                                xml: true)
        }
    }

    public func next() throws -> KioskFileEntry? {
        guard !finished else { return nil }
        guard let element = try nextElement() else {
            throw IntakeProblem(.missingTrailer, line: 0, expected: "a Control element as the last element", xml: true)
        }
        let values = attributes()
        switch element.name {
        case "Payment":
            typealias F = RecordField.Payment
            let value = try amount(values, F.amount, line: element.line)
            try tally.countPayment(value, line: element.line)
            let fields = PaymentFields(
                transactionID: values["id"] ?? "", paidAt: values["paidAt"] ?? "", payer: values["payer"] ?? "",
                claimType: values["claimType"] ?? "", amount: value, tender: values["tender"] ?? "",
                receipt: values["receipt"] ?? "", operatorID: values["operator"])
            return .payment(fields, RecordLocation(line: element.line, xml: true))
        case "Void":
            typealias F = RecordField.Void
            let value = try amount(values, F.amount, line: element.line)
            try tally.countVoid(value, line: element.line)
            let fields = VoidFields(voidID: values["id"] ?? "", voidedAt: values["voidedAt"] ?? "",
                                    voidsTransactionID: values["voids"] ?? "", amount: value, reason: values["reason"])
            return .void(fields, RecordLocation(line: element.line, xml: true))
        case "Control":
            let total = try amount(values, RecordField.Trailer.sum, line: element.line)
            try tally.check(countText: values["count"] ?? "", sum: total, line: element.line, xml: true, decimalSeparator: ".")
            if let extra = try nextElement() {
                throw IntakeProblem(.misplacedRecord, line: extra.line, found: extra.name,
                                    expected: "nothing after the Control element", xml: true)
            }
            try throwReportedErrors()
            guard xmlTextReaderIsValid(reader) == 1 else {
                throw IntakeProblem(.schemaViolation, line: element.line, expected: "a document valid against the kiosk schema", xml: true)
            }
            finished = true
            return nil
        default:
            throw IntakeProblem(.unknownRecordType, line: element.line, found: element.name,
                                expected: "a Payment, Void or Control element", xml: true)
        }
    }
}
