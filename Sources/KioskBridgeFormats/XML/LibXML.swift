import CLibXML2
#if canImport(Glibc)
import Glibc
#endif
import KioskBridgeCore

/// The process-wide libxml2 settings the bridge relies on.
///
/// Kiosk files come from outside; parsing one must never fetch anything. Besides the
/// per-document options (no entity substitution, no DTD loading, no network), every
/// external entity, DTD or schema import that libxml2 might try to load is refused here.
public enum LibXML {
    private static let prepared: Bool = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, context in
            // Nothing is ever loaded from outside the document in hand.
            _ = context
            return nil
        }
        return true
    }()

    /// Call before any libxml2 use; cheap after the first time.
    public static func prepare() {
        _ = prepared
    }

    /// Options for reading untrusted documents: no network, no entity expansion, no DTD.
    static var safeReadOptions: Int32 {
        Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
    }
}

/// A problem libxml2 reported, with where it happened.
public struct XMLDiagnostic: Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public let isSchemaError: Bool

    public var description: String { "line \(line), column \(column): \(message)" }

    init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
        isSchemaError = false
    }

    init(_ error: xmlErrorPtr) {
        line = Int(error.pointee.line)
        column = Int(error.pointee.int2)
        // libxml2 quotes the offending value whole (up to 10 MB): bounded before it becomes a string.
        message = error.pointee.message.map { message in
            message.withMemoryRebound(to: UInt8.self, capacity: 1) { bytes in
                var count = strlen(message)
                while count > 0, bytes[count - 1] == 0x0A || bytes[count - 1] == 0x20 { count -= 1 }
                return BoundedText.message(utf8: UnsafeBufferPointer(start: bytes, count: count))
            }
        } ?? "unknown XML error"
        isSchemaError = error.pointee.domain == Int32(XML_FROM_SCHEMASV.rawValue)
            || error.pointee.domain == Int32(XML_FROM_SCHEMASP.rawValue)
    }
}

/// Collects libxml2's structured errors for one document.
final class XMLDiagnostics {
    var all: [XMLDiagnostic] = []

    /// The C callback; `context` is an unretained `XMLDiagnostics`.
    static let handler: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        let diagnostics = Unmanaged<XMLDiagnostics>.fromOpaque(context).takeUnretainedValue()
        if diagnostics.all.count < 20 { diagnostics.all.append(XMLDiagnostic(error)) }
    }
}

/// A compiled XML Schema, shared by every document validated against it.
public final class XMLSchema: @unchecked Sendable {
    // The compiled schema is read-only after construction; libxml2 allows it to be shared.
    let pointer: xmlSchemaPtr
    public let name: String

    public struct CompileError: Error, CustomStringConvertible {
        public let name: String
        public let diagnostics: [XMLDiagnostic]
        public var description: String {
            "the XML Schema \(name) cannot be used: " + (diagnostics.first?.description ?? "unknown error")
        }
    }

    /// Compiles a schema from its bytes (never from a URL: nothing is fetched).
    public init(bytes: [UInt8], name: String) throws(CompileError) {
        LibXML.prepare()
        let diagnostics = XMLDiagnostics()
        let compiled: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let context = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(context) }
                xmlSchemaSetParserStructuredErrors(context, XMLDiagnostics.handler, Unmanaged.passUnretained(diagnostics).toOpaque())
                return xmlSchemaParse(context)
            }
        }
        guard let compiled else { throw CompileError(name: name, diagnostics: diagnostics.all) }
        pointer = compiled
        self.name = name
    }

    /// Compiles a schema file, such as an official ISO 20022 schema a deployment names.
    public convenience init(file path: String) throws(CompileError) {
        let bytes: [UInt8]
        do {
            bytes = try ByteSource.readAll(path: path)
        } catch {
            throw CompileError(name: path, diagnostics: [XMLDiagnostic(line: 0, column: 0, message: "cannot be read (\(error))")])
        }
        try self.init(bytes: bytes, name: path)
    }

    deinit { xmlSchemaFree(pointer) }

    /// Validates a document on disk as a stream (memory does not grow with its size) and
    /// returns what libxml2 reported; empty when the document is valid. Each message names
    /// the element and the schema rule it breaks.
    public func validate(file path: String) -> [XMLDiagnostic] {
        LibXML.prepare()
        let diagnostics = XMLDiagnostics()
        guard let context = xmlSchemaNewValidCtxt(pointer) else {
            return [XMLDiagnostic(line: 0, column: 0, message: "libxml2 could not start validating")]
        }
        defer { xmlSchemaFreeValidCtxt(context) }
        xmlSchemaSetValidStructuredErrors(context, XMLDiagnostics.handler, Unmanaged.passUnretained(diagnostics).toOpaque())
        let result = xmlSchemaValidateFile(context, path, 0)
        if result != 0 && diagnostics.all.isEmpty {
            return [XMLDiagnostic(line: 0, column: 0, message: "the document is not valid (libxml2 code \(result))")]
        }
        return result == 0 ? [] : diagnostics.all
    }

    /// The bridge's own schema for XML kiosk files.
    public static func kioskExport() throws(CompileError) -> XMLSchema {
        try XMLSchema(bytes: PackageResources.kiosk_export_1_xsd, name: "kiosk-export-1.xsd")
    }
}
