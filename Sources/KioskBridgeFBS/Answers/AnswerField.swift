import KioskBridgeCore

/// What an answer reader needs to word an error: the operation, and what must never be
/// echoed from this answer.
struct AnswerContext: Sendable {
    let operation: FBSOperation
    /// The CPR number the call sent, masked wherever the answer repeats it.
    var cpr: CPRNumber? = nil
    /// The answer carries a secret (the login's session key): its values are described, never shown.
    var secret = false

    func malformed(_ detail: String) -> FBSError {
        FBSError(.malformedAnswer, operation: operation, message: "the answer \(detail)")
    }

    /// The answer as JSON, or an error that says where it stops being JSON.
    func json(_ bytes: [UInt8]) throws(FBSError) -> AnswerField {
        switch StrictJSONReader.read(bytes) {
        case .success(let value): return AnswerField(value: value, path: "answer", context: self)
        case .failure(let problem):
            let found = secret ? "(not shown)" : AnswerText.echo(problem.found, hiding: cpr)
            throw malformed("is not valid JSON at byte \(problem.offset): found \(found), expected \(problem.expected)")
        }
    }
}

/// One value of an answer with its path (`answer[2].amount`), read as the type a field
/// must have; anything else is an error naming the operation, the field, what was found
/// and what was expected.
struct AnswerField: Sendable {
    let value: AnswerJSON
    let path: String
    let context: AnswerContext

    func refuse(expected: String) -> FBSError {
        context.malformed("field \(path): found \(shown), expected \(expected)")
    }

    /// The value as an error may show it.
    var shown: String {
        switch value {
        case .string(let text):
            context.secret ? "a string of \(text.count) characters (not shown)" : "\"\(AnswerText.echo(text, hiding: context.cpr))\""
        case .number(let text):
            context.secret ? "a number (not shown)" : AnswerText.echo(text, hiding: context.cpr)
        case .bool(let flag): flag ? "true" : "false"
        default: value.kind
        }
    }

    var isNull: Bool { value == .null }

    func object() throws(FBSError) -> AnswerObject {
        guard case .object(let fields) = value else { throw refuse(expected: "an object") }
        return AnswerObject(fields: fields, path: path, context: context)
    }

    func array() throws(FBSError) -> [AnswerField] {
        guard case .array(let items) = value else { throw refuse(expected: "an array") }
        return items.enumerated().map { AnswerField(value: $1, path: "\(path)[\($0)]", context: context) }
    }

    func string() throws(FBSError) -> String {
        guard case .string(let text) = value else { throw refuse(expected: "a string") }
        return text
    }

    func bool() throws(FBSError) -> Bool {
        guard case .bool(let flag) = value else { throw refuse(expected: "true or false") }
        return flag
    }

    /// A whole number from 1 to 2^63-1, written without fraction or exponent (FBS's ids).
    func positiveID() throws(FBSError) -> Int64 {
        let expected = "a whole number from 1 to \(Int64.max)"
        guard case .number(let text) = value, let number = Int64(text), number > 0 else { throw refuse(expected: expected) }
        return number
    }

    /// An identifier FBS may send as a string or as a whole number: 1 to 100 printable
    /// characters, kept as text.
    func identifierText() throws(FBSError) -> String {
        let expected = "a string or whole number of 1 to 100 printable characters"
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let digits) where Int64(digits) != nil: text = digits
        default: throw refuse(expected: expected)
        }
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= 100,
              !scalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace }) else {
            throw refuse(expected: expected)
        }
        return text
    }

    /// The largest fee the bridge believes: a replacement charge of a rare item can be a
    /// few thousand kroner; a million is a broken answer, not a fee.
    static let maximumFeeAmount = Amount(ore: 100_000_000)

    /// A JSON number in kroner read from its decimal text into whole øre: `20` is 2000,
    /// `249.95` is 24995. More than two decimals, an exponent, a sign, or more than a
    /// million kroner are refused.
    func amount() throws(FBSError) -> Amount {
        let expected = "an amount in kroner, not negative, with at most two decimals and at most 1000000, e.g. 249.95"
        guard case .number(let text) = value, !text.hasPrefix("-"),
              case .success(let amount) = AmountText.parse(text, decimalSeparator: "."),
              amount <= Self.maximumFeeAmount else { throw refuse(expected: expected) }
        return amount
    }

    /// A date written `YYYY-MM-DD`.
    func date() throws(FBSError) -> LocalDate {
        guard case .string(let text) = value, let date = LocalDate(iso: text) else { throw refuse(expected: "a date YYYY-MM-DD") }
        return date
    }
}

/// An object of an answer: its fields by key, unknown keys ignored (FBS may add fields).
struct AnswerObject: Sendable {
    let fields: [(key: String, value: AnswerJSON)]
    let path: String
    let context: AnswerContext

    /// The field, which must be there and not null.
    func required(_ key: String) throws(FBSError) -> AnswerField {
        guard let field = optional(key) else {
            throw context.malformed("field \(path).\(key): found nothing, expected the field (fbs-api.md)")
        }
        return field
    }

    /// The field, or nil when it is absent or null.
    func optional(_ key: String) -> AnswerField? {
        guard let value = fields.first(where: { $0.key == key })?.value, value != .null else { return nil }
        return AnswerField(value: value, path: "\(path).\(key)", context: context)
    }
}
