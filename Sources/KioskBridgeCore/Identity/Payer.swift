/// Who paid: a person (CPR) or a company (CVR).
///
/// The payer decides which claims a payment may cover, so it is parsed once, strictly,
/// and compared in its normal form (digits only). Printing a payer masks a CPR number.
public enum Payer: Hashable, Sendable, CustomStringConvertible {
    case person(CPRNumber)
    case company(CVRNumber)

    /// Why a payer field was refused, in words that never repeat the whole number.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case wrongLength(Int)
        case notDigits
        case impossibleBirthDate
        case cvrLeadingZero
        case cvrChecksum

        public var description: String {
            switch self {
            case .empty: "the field is empty"
            case .wrongLength(let count): "it has \(count) characters"
            case .notDigits: "it holds characters other than digits"
            case .impossibleBirthDate: "its first six digits are not a real date (DDMMYY)"
            case .cvrLeadingZero: "a CVR number cannot start with 0"
            case .cvrChecksum: "it fails the CVR modulus-11 check"
            }
        }
    }

    public static let expectation = "a CPR number (10 digits DDMMYYSSSS, optionally DDMMYY-SSSS) or a CVR number (8 digits)"

    /// 8 digits are a CVR number; 10 digits, optionally with a hyphen after the sixth, a CPR number.
    public init(parsing text: String) throws(Problem) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { throw .empty }
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        switch bytes.count {
        case 8:
            guard bytes.allSatisfy(isDigit) else { throw .notDigits }
            do { self = .company(try CVRNumber(parsing: text)) } catch {
                throw error == .leadingZero ? .cvrLeadingZero : .cvrChecksum
            }
        case 10, 11:
            do { self = .person(try CPRNumber(parsing: text)) } catch {
                if error == .notADate { throw .impossibleBirthDate }
                if bytes.count == 11 && bytes[6] != UInt8(ascii: "-") { throw .wrongLength(11) }
                throw .notDigits
            }
        default:
            throw bytes.allSatisfy(isDigit) ? .wrongLength(bytes.count) : .notDigits
        }
    }

    /// Digits only, no hyphen: what is stored and what the debtor export carries.
    public var digits: String {
        switch self {
        case .person(let cpr): cpr.digits
        case .company(let cvr): cvr.digits
        }
    }

    /// `CPR` or `CVR`.
    public var kind: String {
        switch self {
        case .person: "CPR"
        case .company: "CVR"
        }
    }

    /// A CPR number masked, a CVR number as is.
    public var description: String {
        switch self {
        case .person(let cpr): cpr.masked
        case .company(let cvr): cvr.digits
        }
    }

    /// Rebuilds a payer from its stored digits.
    public init?(storedDigits: String) {
        guard let payer = try? Payer(parsing: storedDigits) else { return nil }
        self = payer
    }
}
