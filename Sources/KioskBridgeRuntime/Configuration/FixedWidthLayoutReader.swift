import Foundation
import KioskBridgeCore
import KioskBridgeFormats
import TOMLKit

/// Reads a `fixed` export profile's layout, inline in its `[[export]]` table or from the
/// file its `layout` key names.
///
/// A layout is checked completely when the configuration is read, so that a mistake in it
/// is a configuration error (exit 64) naming the record and the field, found by whoever
/// edits the file rather than by the debtor system at night.
struct FixedWidthLayoutReader {
    static let layoutKeys: Set<String> = ["line_ending", "encoding", "extension", "header", "line", "trailer"]
    static let fieldKeys: Set<String> = ["source", "value", "width", "align", "pad", "decimal_separator", "sign", "pattern", "map", "name"]

    let reader: ConfigurationReader
    /// `[[export]] #2`, or the layout file's name.
    let section: String

    func layout(from table: TOMLTable) throws -> FixedWidthLayout {
        let lineEnding: FixedWidthLayout.LineEnding
        switch try reader.string(table, "line_ending", in: section) ?? "CRLF" {
        case "CRLF": lineEnding = .crlf
        case "LF": lineEnding = .lf
        default: throw reader.fail("\(section) line_ending", "\"CRLF\" or \"LF\"", found: table["line_ending"])
        }
        guard let encoding = FixedWidthLayout.Encoding(rawValue: try reader.string(table, "encoding", in: section) ?? "ISO-8859-1") else {
            throw reader.fail("\(section) encoding", "\"UTF-8\" or \"ISO-8859-1\"", found: table["encoding"])
        }
        let fileExtension = try reader.string(table, "extension", in: section) ?? "txt"
        guard (1...10).contains(fileExtension.count), fileExtension.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw reader.fail("\(section) extension", "1 to 10 letters or digits, such as \"txt\"", found: table["extension"])
        }
        let line = try fields(table, "line", encoding: encoding, linesAllowed: true)
        guard !line.isEmpty else {
            throw reader.fail("\(section) line", "at least one field for the line records ([[export.line]] tables, or line = [ {...}, ... ])")
        }
        return FixedWidthLayout(header: try fields(table, "header", encoding: encoding, linesAllowed: false),
                                line: line,
                                trailer: try fields(table, "trailer", encoding: encoding, linesAllowed: false),
                                lineEnding: lineEnding, encoding: encoding, fileExtension: fileExtension)
    }

    private func fields(_ table: TOMLTable, _ record: String, encoding: FixedWidthLayout.Encoding, linesAllowed: Bool) throws -> [FixedWidthField] {
        guard let value = table[record] else { return [] }
        guard let list = value.array else {
            throw reader.fail("\(section) \(record)", "a list of field tables ([[export.\(record)]] or \(record) = [ {...}, ... ])", found: value)
        }
        return try list.enumerated().map { index, item in
            let place = "\(section) \(record) field \(index + 1)"
            guard let field = item.table else { throw reader.fail(place, "a table with source and width", found: item) }
            return try self.field(field, place: place, record: record, encoding: encoding, linesAllowed: linesAllowed)
        }
    }

    private func field(_ table: TOMLTable, place: String, record: String, encoding: FixedWidthLayout.Encoding,
                       linesAllowed: Bool) throws -> FixedWidthField {
        try reader.rejectUnknown(table, in: place, known: Self.fieldKeys)
        guard let sourceName = try reader.string(table, "source", in: place) else {
            throw reader.fail("\(place) source", "one of \(Self.sourceNames(linesAllowed: linesAllowed)) (the key is required)")
        }
        let source: FixedWidthField.Source
        if sourceName == "constant" {
            guard let text = try reader.string(table, "value", in: place) else {
                throw reader.fail("\(place) value", "the constant's text (required with source = \"constant\")")
            }
            source = .constant(text)
        } else if let fact = FixedWidthField.BatchValue(rawValue: sourceName) {
            source = .batch(fact)
        } else if let fact = FixedWidthField.LineValue(rawValue: sourceName), linesAllowed {
            source = .line(fact)
        } else if FixedWidthField.LineValue(rawValue: sourceName) != nil {
            throw reader.fail("\(place) source", "one of \(Self.sourceNames(linesAllowed: false)): a \(record) record has no export line to take \(sourceName) from",
                              found: table["source"])
        } else {
            throw reader.fail("\(place) source", "one of \(Self.sourceNames(linesAllowed: linesAllowed))", found: table["source"])
        }
        let label = "\(place) (\(try reader.string(table, "name", in: place) ?? sourceName))"
        let place = label
        if sourceName != "constant", table["value"] != nil {
            throw reader.fail("\(place) value", "no value key (it is for source = \"constant\")")
        }

        guard let width = try reader.int(table, "width", in: place, expected: "a whole number of characters from 1 to 1000",
                                         valid: { (1...1000).contains($0) }) else {
            throw reader.fail("\(place) width", "a whole number of characters from 1 to 1000 (the key is required)")
        }
        let numeric = FixedWidthField.isNumeric(source)
        let alignment: FixedWidthField.Alignment
        if let text = try reader.string(table, "align", in: place) {
            guard let chosen = FixedWidthField.Alignment(rawValue: text) else {
                throw reader.fail("\(place) align", "\"left\" or \"right\"", found: table["align"])
            }
            alignment = chosen
        } else {
            alignment = numeric ? .right : .left
        }
        let padText = try reader.string(table, "pad", in: place) ?? (numeric ? "0" : " ")
        guard padText.count == 1, let pad = padText.first, padText.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw reader.fail("\(place) pad", "one character, such as \" \" or \"0\"", found: table["pad"])
        }

        var decimalSeparator: Character?
        var sign = FixedWidthField.Sign.leading
        if FixedWidthField.isAmount(source) {
            if let text = try reader.string(table, "decimal_separator", in: place) {
                guard text == "," || text == "." else {
                    throw reader.fail("\(place) decimal_separator", "\",\" or \".\" (leave the key out to write whole øre)", found: table["decimal_separator"])
                }
                decimalSeparator = text.first
            }
            if let text = try reader.string(table, "sign", in: place) {
                guard let chosen = FixedWidthField.Sign(rawValue: text) else {
                    throw reader.fail("\(place) sign", "\"leading\", \"trailing\" or \"none\"", found: table["sign"])
                }
                sign = chosen
            }
        } else {
            for key in ["decimal_separator", "sign"] where table[key] != nil {
                throw reader.fail("\(place) \(key)", "no \(key) key (it is for the amount and sum sources)")
            }
        }

        var pattern: DateTimePattern?
        if FixedWidthField.isInstant(source) {
            guard let text = try reader.string(table, "pattern", in: place) else {
                throw reader.fail("\(place) pattern", "a date/time pattern such as \"yyyyMMdd\" or \"HHmmss\" (the key is required for \(sourceName))")
            }
            guard let parsed = DateTimePattern(text) else {
                throw reader.fail("\(place) pattern", "a pattern of yyyy, yy, MM, dd, HH, mm, ss and separators (no other letters)", found: table["pattern"])
            }
            pattern = parsed
        } else if table["pattern"] != nil {
            throw reader.fail("\(place) pattern", "no pattern key (it is for paid_at and created_at)")
        }

        var map: [String: String] = [:]
        if let value = table["map"] {
            guard !numeric, !FixedWidthField.isInstant(source), sourceName != "constant" else {
                throw reader.fail("\(place) map", "no map key (it is for text sources such as kind or payer_type)")
            }
            guard let entries = value.table else { throw reader.fail("\(place) map", "a table of value = replacement", found: value) }
            for key in entries.keys.sorted() {
                guard let replacement = entries[key]?.string else {
                    throw reader.fail("\(place) map \(key)", "the replacement text as a string", found: entries[key])
                }
                map[key] = replacement
            }
        }

        let field = FixedWidthField(label: label, source: source, width: width, alignment: alignment, pad: pad,
                                    decimalSeparator: decimalSeparator, sign: sign, pattern: pattern, map: map)
        // What the configuration fixes must fit and be writable now, not when a file is due.
        var fixedTexts = Array(map.values)
        if case .constant(let text) = source { fixedTexts.append(text) }
        fixedTexts.append(padText)
        for text in fixedTexts {
            if text.unicodeScalars.count > width {
                throw reader.fail("\(place) \(map.values.contains(text) ? "map" : "value")",
                                  "at most \(width) characters (the field's width)", found: text)
            }
            if encoding == .latin1, let bad = text.unicodeScalars.first(where: { $0.value > 0xFF }) {
                throw reader.fail(place, "characters ISO-8859-1 can hold (the layout's encoding): \"\(bad)\" cannot be written")
            }
        }
        return field
    }

    static func sourceNames(linesAllowed: Bool) -> String {
        let names = ["constant"] + FixedWidthField.BatchValue.allCases.map(\.rawValue)
            + (linesAllowed ? FixedWidthField.LineValue.allCases.map(\.rawValue) : [])
        return names.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
