/// The two encodings kiosks write: UTF-8 (with or without a byte-order mark) and the
/// ISO-8859-1 (Latin-1) of older kiosks. `Åbyhøj` must survive either way.
public enum TextEncoding: String, Sendable {
    case utf8 = "UTF-8"
    case latin1 = "ISO-8859-1"

    /// Decodes bytes already known to be in this encoding.
    @inline(__always)
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            var scalars = String.UnicodeScalarView()
            scalars.reserveCapacity(bytes.count)
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        }
    }
}

/// Checks, chunk by chunk, whether a byte stream is valid UTF-8. A file that is not is
/// read as Latin-1, in which every byte is a character.
public struct UTF8Validation: Sendable {
    private var pending = 0
    private var lowerBound: UInt8 = 0x80
    private var upperBound: UInt8 = 0xBF
    public private(set) var isValid = true
    public private(set) var sawNonASCII = false

    public init() {}

    public mutating func consume(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard isValid else { return }
        for byte in bytes {
            if pending > 0 {
                guard byte >= lowerBound && byte <= upperBound else { isValid = false; return }
                lowerBound = 0x80
                upperBound = 0xBF
                pending -= 1
                continue
            }
            if byte < 0x80 { continue }
            sawNonASCII = true
            switch byte {
            case 0xC2...0xDF: pending = 1
            case 0xE0: pending = 2; lowerBound = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: pending = 2; upperBound = 0x9F
            case 0xF0: pending = 3; lowerBound = 0x90
            case 0xF1...0xF3: pending = 3
            case 0xF4: pending = 3; upperBound = 0x8F
            default: isValid = false; return
            }
        }
    }

    /// Call after the last chunk: a sequence cut off at the end is invalid.
    public mutating func finish() {
        if pending > 0 { isValid = false }
    }
}
