/// A JSON value as FBS sent it. Numbers keep their text, so that an amount is read from
/// its decimal digits and never passes through floating point; objects keep their order.
indirect enum AnswerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([AnswerJSON])
    case object([(key: String, value: AnswerJSON)])

    static func == (lhs: AnswerJSON, rhs: AnswerJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// What kind of value this is, for "expected ..., found ..." messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array(let items): "an array of \(items.count) element\(items.count == 1 ? "" : "s")"
        case .object(let fields): "an object with \(fields.count) key\(fields.count == 1 ? "" : "s")"
        }
    }
}
