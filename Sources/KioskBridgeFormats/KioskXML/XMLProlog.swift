/// Looks at what comes before an XML document's root element.
///
/// A `DOCTYPE` in a kiosk file is a reason to reject it, and it is found here in the raw
/// bytes, before libxml2 parses any of it: an internal subset never gets the chance to
/// declare an entity, however harmless the parser options.
public enum XMLProlog {
    /// Line and column of a `<!DOCTYPE` before the root element, if there is one.
    public static func doctypeLocation(in bytes: some Collection<UInt8>) -> (line: Int, column: Int)? {
        let data = Array(bytes)
        var index = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var lineStart = index
        func advance(_ count: Int) {
            for offset in 0..<count where index + offset < data.count && data[index + offset] == 0x0A {
                line += 1
                lineStart = index + offset + 1
            }
            index += count
        }
        func matches(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            guard index + pattern.count <= data.count else { return false }
            return zip(data[index..<index + pattern.count], pattern).allSatisfy { a, b in
                a == b || (b >= 65 && b <= 90 && a == b + 32)
            }
        }
        func skip(past terminator: String) {
            let pattern = Array(terminator.utf8)
            while index < data.count {
                if data[index...].starts(with: pattern) { advance(pattern.count); return }
                advance(1)
            }
        }
        while index < data.count {
            let byte = data[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { advance(1); continue }
            if matches("<?") { skip(past: "?>"); continue }
            if matches("<!--") { skip(past: "-->"); continue }
            if matches("<!DOCTYPE") { return (line, index - lineStart + 1) }
            return nil
        }
        return nil
    }
}
