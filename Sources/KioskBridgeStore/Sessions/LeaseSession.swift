/// The municipality's lease (hosting.md, "Several bridges, one database").
///
/// Exactly one bridge works at a time: the one holding the lease. It renews the lease
/// while it works; when it stops renewing, a standby takes it over once it has lapsed, with
/// a larger fencing token. A write of the old holder is then refused by the store
/// (``BridgeStore/fenced(by:)``), so it can never book or publish after the new one has.
public protocol LeaseSession: AnyObject {
    /// Takes the lease for `seconds` when no one holds it or the holder's has lapsed (a new
    /// token), or renews it when `candidate` already holds it (the same token). Returns nil
    /// while another holder's lease runs; the candidate is then noted as a standby.
    func acquire(_ candidate: LeaseCandidate, seconds: Int) async throws -> Lease?
    /// Gives the lease up at a clean stop, so a standby need not wait for it to lapse.
    func release(_ lease: Lease) async throws
}
