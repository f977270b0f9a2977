public import KioskBridgeCore
public import KioskBridgeStore

extension BridgeStatus {
    /// The `fbs` check (only in the `fbs` mode): parts on old fees waiting for FBS for longer
    /// than two cycles mean FBS is unreachable, slow or refusing the login. The patron stays
    /// blocked meanwhile, so it is a warning; it is not critical, because after
    /// `give_up_after_hours` the parts go to the worklist and no øre is lost.
    static func fbsCheck(_ backlog: FBSBacklog, settings: FBSSettings, cycleSeconds: Int, at now: Instant) -> Check {
        guard let since = backlog.oldestSince, now.millisecondsSinceEpoch - since.millisecondsSinceEpoch > 2 * cycleSeconds * 1000 else {
            let waiting = backlog.count == 0 ? "no part waits for FBS" : "\(backlog.count) part(s) on old fees are being registered in FBS"
            return Check(name: "fbs", level: .ok, message: waiting)
        }
        return Check(name: "fbs", level: .warning, message:
            "\(backlog.count) part(s) on old fees, \(backlog.sum.danishText) in all, not registered in FBS; the oldest waits since "
            + "\(Timestamp.format(since)) (FBS unreachable, slow or refusing the login: see the cycle's log); the patrons stay "
            + "blocked in FBS until then, and after \(settings.giveUpAfterHours) hours the parts go to the worklist")
    }
}
