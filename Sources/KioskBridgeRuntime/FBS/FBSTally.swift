/// What a cycle did with parts on old fees in the `fbs` mode (`cycle --json` key `fbs`).
public struct FBSTally: Sendable, Hashable {
    /// Payers whose fees FBS listed before allocation.
    public var payersAsked = 0
    public var registered = 0
    public var refunds = 0
    /// Put on the worklist by the check before the call.
    public var toWorklist = 0
    /// Refused by FBS: allocated again next cycle.
    public var released = 0
    /// Handed into this cycle's worklist run (answers of earlier cycles, and those given up).
    public var handedOver = 0
    /// Still waiting for FBS after the cycle.
    public var waiting = 0

    public init() {}

    var json: JSONValue {
        .object([("payers_asked", .int(payersAsked)), ("registered", .int(registered)), ("refunds", .int(refunds)),
                 ("to_worklist", .int(toWorklist)), ("released", .int(released)), ("handed_to_worklist", .int(handedOver)), ("waiting", .int(waiting))])
    }
}
