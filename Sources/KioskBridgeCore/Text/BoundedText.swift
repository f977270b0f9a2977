/// A value from outside, cut to what a person can take in at a glance.
///
/// Kiosk files, snapshots and the inbox are hostile input: one field can hold
/// 200,000,000 characters. Wherever the bridge quotes such a value (an error message, a
/// reason file, a log line, JSON output, a row in the store) it quotes at most
/// ``limit`` characters and says how long the whole value was:
/// `'B-99999999…' (200,000,002 characters)`. This is the one place where values are cut;
/// everything that quotes input goes through it.
///
/// What is shown also masks CPR numbers and shows control characters as visible symbols
/// (a line feed as `␊`), so that a value can neither reveal a person nor start a new log
/// line. A cut never ends inside a run of digits: the run is left out whole, so no part
/// of a CPR number cut off at the edge is shown.
public struct BoundedText: Hashable, Sendable {
    /// The most characters of one value that are ever quoted.
    public static let limit = 80

    /// At most `limit` characters of the value, made safe to show, with `…` when cut.
    public let shown: String
    /// The whole value's length in characters (Unicode code points).
    public let length: Int
    /// True when `shown` is only the start of the value.
    public let isCut: Bool

    public init(_ value: String, limit: Int = BoundedText.limit) {
        var value = value
        self = value.withUTF8 { BoundedText(utf8: $0, limit: limit) }
    }

    /// The same from UTF-8 bytes that are not a Swift string yet (a C library's message).
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>, limit: Int = BoundedText.limit) {
        let cut = Self.cut(bytes, limit: limit)
        length = cut.length
        isCut = cut.end < bytes.count
        let kept = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<cut.end]), as: UTF8.self)
        shown = PersonalDataRedaction.redactCPRs(in: Self.visible(kept)) + (isCut ? "…" : "")
    }

    /// `'value'`, or `'its first 80 characters…' (200,000,002 characters)` when cut.
    public var quoted: String {
        "'\(shown)'" + (isCut ? " (\(Self.grouped(length)) characters)" : "")
    }

    /// What the store keeps of a field of a refused record: the value itself when it is at
    /// most `keepingUpTo` characters (so that the desk finds it by exactly what the kiosk
    /// printed), otherwise its first ``limit`` characters and `…`. Stored text is not
    /// masked or made visible here: it is data, and is shown through `BoundedText` again.
    public static func stored(_ value: String, keepingUpTo maximum: Int) -> String {
        var value = value
        return value.withUTF8 { bytes -> String? in
            let whole = cut(bytes, limit: maximum)
            guard whole.end < bytes.count else { return nil }
            let end = cut(bytes, limit: limit).end
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self) + "…"
        } ?? value
    }

    /// A message that quotes values between apostrophes (libxml2 writes `The value '…' is
    /// not ...`), with every quoted value bounded as above, and the whole message cut at
    /// `limit` characters.
    public static func message(utf8 bytes: UnsafeBufferPointer<UInt8>, limit messageLimit: Int = 400) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count, messageLimit * 4))
        var index = 0
        let apostrophe = UInt8(ascii: "'")
        while index < bytes.count, output.count <= messageLimit * 4 {
            let byte = bytes[index]
            guard byte == apostrophe, let close = bytes[(index + 1)...].firstIndex(of: apostrophe) else {
                output.append(byte)
                index += 1
                continue
            }
            let value = BoundedText(utf8: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close]))
            output.append(contentsOf: value.quoted.utf8)
            index = close + 1
        }
        if index < bytes.count { output.append(contentsOf: "…".utf8) }
        return output.withUnsafeBufferPointer { BoundedText(utf8: $0, limit: messageLimit).shown }
    }

    /// `200,000,002`: a count with thousands separators, as English text writes it.
    public static func grouped(_ number: Int) -> String {
        var digits = String(number.magnitude)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// Where to cut (a byte offset at a character boundary, before any run of digits the
    /// limit falls inside) and the whole length in characters.
    static func cut(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> (end: Int, length: Int) {
        var characters = 0
        var end = bytes.count
        for index in bytes.indices where bytes[index] & 0xC0 != 0x80 {
            if characters == limit { end = index }
            characters += 1
        }
        func isDigit(_ index: Int) -> Bool { bytes[index] >= 0x30 && bytes[index] <= 0x39 }
        if end < bytes.count, end > 0, isDigit(end), isDigit(end - 1) {
            while end > 0, isDigit(end - 1) { end -= 1 }
        }
        return (end, characters)
    }

    /// Control characters as the symbols that stand for them (U+2400 and on); C1 controls,
    /// which have none, as U+FFFD.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F: scalars.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F: scalars.append("\u{2421}")
            case 0x80...0x9F: scalars.append("\u{FFFD}")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
