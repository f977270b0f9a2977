/// What an FBS stand-in knows: its agency, the client login it accepts, and patrons with
/// their fees. Loaded from a test's values or, for `fbs-simulator`, from a JSON file with
/// the same keys:
///
/// ```json
/// {"agencyId": "DK-761500", "username": "kioskbridge", "password": "secret", "today": "2026-11-21",
///  "patrons": [{"cpr": "0101901234", "patronId": 123456,
///               "fees": [{"feeId": 1001, "amount": "249.95", "type": "compensation",
///                         "creationDate": "2020-03-01", "payableByClient": true}]}]}
/// ```
///
/// An amount is the text of the JSON number the simulator answers with, written as is
/// (`"249.95"`, or deliberately broken: `"1.234"`, `"\"abc\""`, `"1e3"`).
public struct FBSSimulatorData: Codable, Sendable {
    public struct Fee: Codable, Sendable {
        public var feeID: Int64
        public var amount: String
        public var type: String
        public var reason: String?
        public var createdOn: String
        public var dueOn: String?
        public var payableByClient: Bool

        public init(feeID: Int64, amount: String, type: String = "fee", reason: String? = nil, createdOn: String,
                    dueOn: String? = nil, payableByClient: Bool = true) {
            self.feeID = feeID
            self.amount = amount
            self.type = type
            self.reason = reason
            self.createdOn = createdOn
            self.dueOn = dueOn
            self.payableByClient = payableByClient
        }

        enum CodingKeys: String, CodingKey {
            case feeID = "feeId", amount, type, reason = "reasonMessage", createdOn = "creationDate", dueOn = "dueDate", payableByClient
        }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            self.init(feeID: try values.decode(Int64.self, forKey: .feeID), amount: try values.decode(String.self, forKey: .amount),
                      type: try values.decodeIfPresent(String.self, forKey: .type) ?? "fee",
                      reason: try values.decodeIfPresent(String.self, forKey: .reason),
                      createdOn: try values.decode(String.self, forKey: .createdOn),
                      dueOn: try values.decodeIfPresent(String.self, forKey: .dueOn),
                      payableByClient: try values.decodeIfPresent(Bool.self, forKey: .payableByClient) ?? true)
        }
    }

    public struct Patron: Codable, Sendable {
        /// Ten digits, as the client sends it.
        public var cpr: String
        public var patronID: Int64
        public var patronType: String
        /// `VALID` or `LOANER_LOCKED_OUT`; a CPR number not listed answers `INVALID`.
        public var status: String
        public var fees: [Fee]

        public init(cpr: String, patronID: Int64, patronType: String = "PERSON", status: String = "VALID", fees: [Fee]) {
            self.cpr = cpr
            self.patronID = patronID
            self.patronType = patronType
            self.status = status
            self.fees = fees
        }

        enum CodingKeys: String, CodingKey {
            case cpr, patronID = "patronId", patronType, status, fees
        }

        public init(from decoder: any Decoder) throws {
            let values = try decoder.container(keyedBy: CodingKeys.self)
            self.init(cpr: try values.decode(String.self, forKey: .cpr), patronID: try values.decode(Int64.self, forKey: .patronID),
                      patronType: try values.decodeIfPresent(String.self, forKey: .patronType) ?? "PERSON",
                      status: try values.decodeIfPresent(String.self, forKey: .status) ?? "VALID",
                      fees: try values.decodeIfPresent([Fee].self, forKey: .fees) ?? [])
        }
    }

    public var agencyID: String
    public var username: String
    public var password: String
    /// The date a registration sets as the fee's `paidDate`.
    public var today: String
    /// Each session key answers this many calls, then 401 (nil: keys last until expired by hand).
    public var sessionCalls: Int?
    public var patrons: [Patron]

    public init(agencyID: String = "DK-761500", username: String = "kioskbridge", password: String = "fbs-test-password",
                today: String = "2026-11-21", sessionCalls: Int? = nil, patrons: [Patron]) {
        self.agencyID = agencyID
        self.username = username
        self.password = password
        self.today = today
        self.sessionCalls = sessionCalls
        self.patrons = patrons
    }

    enum CodingKeys: String, CodingKey {
        case agencyID = "agencyId", username, password, today, sessionCalls, patrons
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        self.init(agencyID: try values.decodeIfPresent(String.self, forKey: .agencyID) ?? "DK-761500",
                  username: try values.decode(String.self, forKey: .username), password: try values.decode(String.self, forKey: .password),
                  today: try values.decodeIfPresent(String.self, forKey: .today) ?? "2026-11-21",
                  sessionCalls: try values.decodeIfPresent(Int.self, forKey: .sessionCalls),
                  patrons: try values.decode([Patron].self, forKey: .patrons))
    }
}
