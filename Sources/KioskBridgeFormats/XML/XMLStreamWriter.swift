/// Writes an XML document element by element into a byte buffer, escaping as it goes.
///
/// The bridge's XML output (camt.054) is a fixed shape of nested elements with short
/// text values, so a small serializer is easier to follow than libxml2's writer. Every
/// text and attribute value passes through `escaped`, which also refuses characters XML
/// cannot carry at all, so a hostile transaction id cannot break the document open.
struct XMLStreamWriter {
    /// A character XML 1.0 cannot represent, even escaped.
    struct UnrepresentableCharacter: Error, CustomStringConvertible {
        let element: String
        let scalar: Unicode.Scalar
        var description: String {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "<\(element)> would have to hold the character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex), which XML cannot carry"
        }
    }

    private(set) var buffer: [UInt8] = []
    private var open: [String] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    mutating func declaration() {
        append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        newline()
    }

    /// `<name attr="value">`, indented by depth.
    mutating func start(_ name: String, attributes: [(String, String)] = []) throws {
        indent()
        try startTag(name, attributes)
        newline()
        open.append(name)
    }

    mutating func end() {
        guard let name = open.popLast() else { return }
        indent()
        append("</\(name)>")
        newline()
    }

    /// `<name attr="value">text</name>` on one line.
    mutating func element(_ name: String, _ text: String, attributes: [(String, String)] = []) throws {
        indent()
        try startTag(name, attributes)
        try append(escaped: text, in: name)
        append("</\(name)>")
        newline()
    }

    /// Hands over what is written so far and starts an empty buffer.
    mutating func take() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    private mutating func startTag(_ name: String, _ attributes: [(String, String)]) throws {
        append("<" + name)
        for (key, value) in attributes {
            append(" \(key)=\"")
            try append(escaped: value, in: name)
            append("\"")
        }
        append(">")
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    private mutating func newline() { buffer.append(10) }

    private mutating func indent() {
        buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * open.count))
    }

    private mutating func append(escaped text: String, in element: String) throws {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\"": append("&quot;")
            case "'": append("&apos;")
            case "\t", "\n", "\r":
                // Kept as character references so that attribute normalisation cannot turn them into spaces.
                append("&#\(scalar.value);")
            default:
                guard Self.isXMLCharacter(scalar) else { throw UnrepresentableCharacter(element: element, scalar: scalar) }
                buffer.append(contentsOf: String(scalar).utf8)
            }
        }
    }

    /// XML 1.0's `Char` production.
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
