public import KioskBridgeCore
public import KioskBridgeFBS
import Logging

/// The cycle's payers' fees as FBS lists them now, fetched before allocation (outside its
/// transaction). A payer missing here could not be asked: allocation then uses the FBS
/// claims of the snapshots for them, and the parts wait for FBS like any other.
public struct LiveFees: Sendable {
    /// One payer's answer: the patron (nil: FBS knows no such patron, so no fees) and the
    /// unpaid fees FBS lists.
    public struct PayerFees: Sendable {
        public let patron: FBSPatronID?
        public let fees: [FBSFee]
    }

    public var byPayer: [String: PayerFees] = [:]
    /// Why some payers could not be asked, for the cycle's warnings.
    public var problem: String?

    public init() {}

    /// Whether an error means FBS as a whole cannot be reached now, so that asking about
    /// the next payer would only wait for the same timeout again.
    static func isOutage(_ error: FBSError) -> Bool {
        [.unreachable, .timeout, .serverError, .loginRefused, .unauthorizedAfterLogin, .credentialsUnusable, .cancelled].contains(error.code)
    }

    /// Asks FBS about each payer (CPR digits) in turn, stopping at the first sign that FBS
    /// is down. A payer whose answer is unusable is left out, with the others asked on.
    public static func fetch(payers: [String], from service: any FBSService, logger: Logger) async -> LiveFees {
        var live = LiveFees()
        for (index, digits) in payers.enumerated() {
            guard case .person(let cpr)? = Payer(storedDigits: digits) else { continue }
            do {
                live.byPayer[digits] = try await fees(of: cpr, from: service)
            } catch {
                live.problem = "FBS could not be asked for the fees of \(payers.count - live.byPayer.count) payer(s): \(error.description)"
                logger.warning("FBS: \(error.description)")
                if isOutage(error) {
                    live.problem = "FBS could not be reached for the fees of \(payers.count - index) payer(s) (\(error.description)): "
                        + "their old fees are taken from the snapshot and wait to be registered"
                    break
                }
            }
        }
        return live
    }

    static func fees(of cpr: CPRNumber, from service: any FBSService) async throws(FBSError) -> PayerFees {
        guard let patron = try await service.findPatron(cpr: cpr) else { return PayerFees(patron: nil, fees: []) }
        return PayerFees(patron: patron.id, fees: try await service.unpaidFees(of: patron.id))
    }
}
