/// What a well-formed record may still not be: a payment that cannot have happened.
///
/// A kiosk file can be correct to the letter and still say that a patron paid in 2099,
/// in 1901, or 9,999,999,999.99 kr. at a library kiosk. Such a record is refused like any
/// other bad record (its file's trailer still counts it), with the rule and its setting
/// named, so that the finance office never receives it and the operator knows which key
/// of `[intake]` to look at if a kiosk really does need more room.
///
/// Times are judged against the file's own `created at`, not against the bridge's clock:
/// a kiosk whose clock is a little off, or a file delivered late, passes as long as the
/// file agrees with itself. The file's `created at` and a claims snapshot's `as of` are
/// judged against the bridge's clock, forward only.
public struct PlausibilityRules: Sendable, Hashable {
    /// `[intake] clock_skew_minutes`: how far a time may lie after the moment it is judged against.
    public var clockSkewMinutes: Int
    /// `[intake] max_age_days`: how far a payment or void may lie before its file's `created at`.
    public var maxAgeDays: Int
    /// `[intake] max_amount`: the largest payment a kiosk can take.
    public var maxAmount: Amount

    public init(clockSkewMinutes: Int = 10, maxAgeDays: Int = 60, maxAmount: Amount = Amount(ore: 5_000_000)) {
        self.clockSkewMinutes = clockSkewMinutes
        self.maxAgeDays = maxAgeDays
        self.maxAmount = maxAmount
    }

    /// The rules applied to the records of one file.
    public func forFile(createdAt: Instant) -> FilePlausibility {
        FilePlausibility(rules: self, createdAt: createdAt)
    }

    /// A kiosk file's `created at` later than now plus the skew rejects the file.
    public func checkCreatedAt(_ createdAt: Instant, now: Instant, line: Int, xml: Bool) -> IntakeProblem? {
        guard createdAt > latest(after: now) else { return nil }
        return IntakeProblem(.implausibleCreatedAt, line: line, field: RecordField.Header.createdAt, found: Timestamp.format(createdAt),
                             expected: "a time no later than now (\(Timestamp.format(now))) plus \(skewSetting): the kiosk's clock may be wrong",
                             xml: xml)
    }

    /// A claims snapshot's `as of` later than now plus the skew refuses the snapshot: it
    /// would be taken for the newest one and hold back every later snapshot.
    public func checkAsOf(_ asOf: Instant, now: Instant, line: Int) -> IntakeProblem? {
        guard asOf > latest(after: now) else { return nil }
        return IntakeProblem(.implausibleCreatedAt, line: line, field: RecordField.Snapshot.asOf, found: Timestamp.format(asOf),
                             expected: "a time no later than now (\(Timestamp.format(now))) plus \(skewSetting): the source's clock may be wrong")
    }

    func latest(after moment: Instant) -> Instant { moment.adding(seconds: clockSkewMinutes * 60) }
    var skewSetting: String { "[intake] clock_skew_minutes = \(clockSkewMinutes)" }
}

/// ``PlausibilityRules`` for the records of one file.
public struct FilePlausibility: Sendable, Hashable {
    public let rules: PlausibilityRules
    public let createdAt: Instant

    /// Nil when the payment can be true; otherwise the first rule it breaks.
    public func check(_ payment: PaymentRecord, line: Int, column: Int? = nil, xml: Bool = false) -> IntakeProblem? {
        if let problem = checkTime(payment.paidAt, field: RecordField.Payment.paidAt, line: line, column: column, xml: xml) {
            return problem
        }
        guard payment.amount <= rules.maxAmount else {
            return IntakeProblem(.implausibleAmount, line: line, column: column, field: RecordField.Payment.amount,
                                 found: payment.amount.formatted(decimalSeparator: xml ? "." : ","),
                                 expected: "at most [intake] max_amount = \(rules.maxAmount.danishText)", xml: xml)
        }
        return nil
    }

    /// Nil when the void can be true. A void is not held to `max_amount`: it carries the
    /// amount of a payment already booked, which must stay cancellable if the limit is lowered.
    public func check(_ void: VoidRecord, line: Int, column: Int? = nil, xml: Bool = false) -> IntakeProblem? {
        checkTime(void.voidedAt, field: RecordField.Void.voidedAt, line: line, column: column, xml: xml)
    }

    private func checkTime(_ time: Instant, field: RecordField, line: Int, column: Int?, xml: Bool) -> IntakeProblem? {
        let latest = rules.latest(after: createdAt)
        if time > latest {
            return IntakeProblem(.implausibleTime, line: line, column: column, field: field, found: Timestamp.format(time),
                                 expected: "a time no later than the file's created at (\(Timestamp.format(createdAt))) plus \(rules.skewSetting)",
                                 xml: xml)
        }
        let earliest = createdAt.adding(seconds: -rules.maxAgeDays * 86_400)
        if time < earliest {
            return IntakeProblem(.implausibleTime, line: line, column: column, field: field, found: Timestamp.format(time),
                                 expected: "a time no earlier than [intake] max_age_days = \(rules.maxAgeDays) days before the file's created at (\(Timestamp.format(createdAt))), that is \(Timestamp.format(earliest)) or later",
                                 xml: xml)
        }
        return nil
    }
}
