/// ISO 8601 timestamps as kiosk files, snapshots and the command line write them.
///
/// `2026-11-21T14:02:11+01:00`, `...Z`, optionally with fractional seconds. A timestamp
/// without an offset is Copenhagen wall-clock time; in the autumn hour that happens twice
/// it is ambiguous and in the spring hour that never happens it does not exist, and both
/// are refused: the bridge never guesses when money changed hands.
public enum Timestamp {
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed
        case ambiguousLocalTime
        case nonexistentLocalTime

        public var description: String {
            switch self {
            case .malformed: "it is not an ISO 8601 timestamp"
            case .ambiguousLocalTime: "it has no offset and falls in the autumn hour that occurs twice in Copenhagen"
            case .nonexistentLocalTime: "it has no offset and falls in the spring hour that does not exist in Copenhagen"
            }
        }
    }

    public static let expectation = "an ISO 8601 timestamp such as 2026-11-21T14:02:11+01:00"

    public static func parse(_ text: some StringProtocol) -> Result<Instant, Problem> {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == 45, bytes[7] == 45, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == 58, bytes[16] == 58,
              let date = LocalDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = LocalDate.number(bytes[11..<13]), let minute = LocalDate.number(bytes[14..<16]),
              let second = LocalDate.number(bytes[17..<19])
        else { return .failure(.malformed) }
        var index = 19
        var millisecond = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 3 { millisecond = millisecond * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0, digits <= 9 else { return .failure(.malformed) }
            if digits < 3 { for _ in digits..<3 { millisecond *= 10 } }
        }
        guard let local = LocalDateTime(date: date, hour: hour, minute: minute, second: second, millisecond: millisecond)
        else { return .failure(.malformed) }
        let rest = bytes[index...]
        if rest.isEmpty {
            switch CopenhagenTime.resolve(local) {
            case .unique(let instant): return .success(instant)
            case .ambiguous: return .failure(.ambiguousLocalTime)
            case .nonexistent: return .failure(.nonexistentLocalTime)
            }
        }
        if rest.count == 1, rest.first == UInt8(ascii: "Z") || rest.first == UInt8(ascii: "z") {
            return .success(Instant(millisecondsSinceEpoch: local.wallMilliseconds))
        }
        let offsetBytes = Array(rest)
        guard offsetBytes.count == 6 || offsetBytes.count == 5 || offsetBytes.count == 3,
              offsetBytes[0] == 43 || offsetBytes[0] == 45,
              let offsetHours = LocalDate.number(offsetBytes[1..<3]), offsetHours <= 18
        else { return .failure(.malformed) }
        var offsetMinutes = 0
        if offsetBytes.count == 6 {
            guard offsetBytes[3] == 58, let minutes = LocalDate.number(offsetBytes[4..<6]) else { return .failure(.malformed) }
            offsetMinutes = minutes
        } else if offsetBytes.count == 5 {
            guard let minutes = LocalDate.number(offsetBytes[3..<5]) else { return .failure(.malformed) }
            offsetMinutes = minutes
        }
        guard offsetMinutes < 60 else { return .failure(.malformed) }
        let sign = offsetBytes[0] == 45 ? -1 : 1
        let offsetMs = sign * (offsetHours * 3600 + offsetMinutes * 60) * 1000
        return .success(Instant(millisecondsSinceEpoch: local.wallMilliseconds - offsetMs))
    }

    /// `2026-11-21T14:02:11+01:00` in Copenhagen time; milliseconds only when present.
    public static func format(_ instant: Instant) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(29)
        append(instant, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the bytes of `format(instant)`: an export file writes one per line, and
    /// building a string for each is a visible share of a million-line file.
    public static func append(_ instant: Instant, to bytes: inout [UInt8]) {
        let offset = CopenhagenTime.offsetSeconds(at: instant)
        let local = LocalDateTime(wallMilliseconds: instant.millisecondsSinceEpoch + offset * 1000)
        func digits(_ value: Int, _ width: Int, then separator: UInt8?) {
            LocalDate.appendPadded(value, width, to: &bytes)
            if let separator { bytes.append(separator) }
        }
        local.date.append(to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        digits(local.hour, 2, then: UInt8(ascii: ":"))
        digits(local.minute, 2, then: UInt8(ascii: ":"))
        digits(local.second, 2, then: nil)
        if local.millisecond != 0 {
            bytes.append(UInt8(ascii: "."))
            digits(local.millisecond, 3, then: nil)
        }
        bytes.append(UInt8(ascii: "+"))
        digits(offset / 3600, 2, then: UInt8(ascii: ":"))
        bytes.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "0")])
    }

    /// `2026-11-21T13:02:11Z`.
    public static func formatUTC(_ instant: Instant) -> String {
        let utc = LocalDateTime(wallMilliseconds: instant.millisecondsSinceEpoch)
        let fraction = utc.millisecond == 0 ? "" : "." + LocalDate.pad(utc.millisecond, 3)
        return "\(utc)\(fraction)Z"
    }
}
