public import KioskBridgeCore

/// One field of a fixed-width record: where its value comes from and how it fills its
/// columns.
///
/// Danish debtor systems have read fixed-width payment files for decades (Nets
/// Betalingsservice's `BS042` records among them): numeric fields right-aligned and
/// zero-padded, text fields left-aligned and blank-padded, amounts in øre. A value that
/// does not fit its width is an error, never cut: a truncated claim id or amount in a
/// debtor's import is a wrong booking nobody notices.
public struct FixedWidthField: Hashable, Sendable {
    /// What the field shows.
    public enum Source: Hashable, Sendable {
        /// The same text in every record.
        case constant(String)
        /// A fact of the export line (line records only).
        case line(LineValue)
        /// A fact of the whole file (any record).
        case batch(BatchValue)
    }

    public enum LineValue: String, Hashable, Sendable, CaseIterable {
        case lineNumber = "line_number"
        case kind
        case transactionID = "transaction_id"
        case kioskID = "kiosk_id"
        case receipt
        case paidAt = "paid_at"
        case payer
        /// `CPR` or `CVR`.
        case payerType = "payer_type"
        case claimType = "claim_type"
        case claimID = "claim_id"
        case amount
    }

    public enum BatchValue: String, Hashable, Sendable, CaseIterable {
        case count
        case sum
        case sequence
        case batchID = "batch_id"
        case createdAt = "created_at"
    }

    public enum Alignment: String, Hashable, Sendable {
        case left
        case right
    }

    /// How a negative amount is marked.
    public enum Sign: String, Hashable, Sendable {
        /// `-` before the digits when negative (inside the width; zero padding goes after it).
        case leading
        /// `+` or `-` after the digits, always.
        case trailing
        /// No sign: the magnitude only (another field, such as the kind, gives the direction).
        case none
    }

    /// For error messages: `line field 4 (amount)`.
    public let label: String
    public let source: Source
    public let width: Int
    public let alignment: Alignment
    public let pad: Character
    /// Amounts: nil writes whole øre (`4000`); `","` or `"."` writes kroner with two decimals (`40,00`).
    public let decimalSeparator: Character?
    public let sign: Sign
    /// Dates and times (`paid_at`, `created_at`).
    public let pattern: DateTimePattern?
    /// Replaces a text value by another (`PAYMENT = "1"`); a value not in the map is written as it is.
    public let map: [String: String]

    public init(label: String, source: Source, width: Int, alignment: Alignment, pad: Character,
                decimalSeparator: Character? = nil, sign: Sign = .leading, pattern: DateTimePattern? = nil, map: [String: String] = [:]) {
        self.label = label
        self.source = source
        self.width = width
        self.alignment = alignment
        self.pad = pad
        self.decimalSeparator = decimalSeparator
        self.sign = sign
        self.pattern = pattern
        self.map = map
    }

    /// True for the sources that are numbers (right-aligned and zero-padded by default).
    public static func isNumeric(_ source: Source) -> Bool {
        switch source {
        case .line(.lineNumber), .line(.amount), .batch(.count), .batch(.sum), .batch(.sequence): true
        default: false
        }
    }

    /// True for the sources that are instants (they take a `pattern`).
    public static func isInstant(_ source: Source) -> Bool {
        source == .line(.paidAt) || source == .batch(.createdAt)
    }

    /// True for the sources that are amounts (they take `decimal_separator` and `sign`).
    public static func isAmount(_ source: Source) -> Bool {
        source == .line(.amount) || source == .batch(.sum)
    }

    /// The amount as this field writes it, before padding.
    func text(of amount: Amount) -> String {
        let magnitude = amount.magnitude
        let digits = decimalSeparator.map { magnitude.formatted(decimalSeparator: $0) } ?? String(magnitude.ore)
        let negative = amount.ore < 0
        switch sign {
        case .leading: return negative ? "-" + digits : digits
        case .trailing: return digits + (negative ? "-" : "+")
        case .none: return digits
        }
    }

    /// The value padded to the field's width; nil when it does not fit.
    func filled(_ value: String) -> String? {
        let mapped = map[value] ?? value
        let length = mapped.unicodeScalars.count
        guard length <= width else { return nil }
        let padding = String(repeating: pad, count: width - length)
        switch alignment {
        case .left:
            return mapped + padding
        case .right:
            // Zero padding goes between a leading minus and the digits: -0004000, not 000-4000.
            if pad == "0", sign == .leading, mapped.hasPrefix("-"), Self.isNumeric(source) {
                return "-" + padding + mapped.dropFirst()
            }
            return padding + mapped
        }
    }
}
