public import KioskBridgeFBS

/// `[fbs]`: how the `fbs` mode reaches FBS and reads its fees.
public struct FBSSettings: Sendable, Hashable {
    public static let defaultGiveUpAfterHours = 24
    public static let defaultClaimTypes = ["fee": "BIBLIOTEKSGEBYR", "compensation": "ERSTATNING"]

    public let service: FBSConfiguration
    /// `give_up_after_hours`: a part FBS has not registered this long after its allocation
    /// goes to the worklist for staff.
    public let giveUpAfterHours: Int
    /// `claim_types`: FBS's fee `type` (`fee`, `compensation`, `other`) = the kiosk's claim
    /// type code. A fee of a type not mapped is not one the kiosk can pay.
    public let claimTypes: [String: String]

    public init(service: FBSConfiguration, giveUpAfterHours: Int = defaultGiveUpAfterHours, claimTypes: [String: String] = defaultClaimTypes) {
        self.service = service
        self.giveUpAfterHours = giveUpAfterHours
        self.claimTypes = claimTypes
    }

    /// The kiosk's claim type of one of FBS's fees, or nil when none is mapped.
    public func claimType(of fee: FBSFee) -> String? {
        switch fee.kind {
        case .fee: claimTypes["fee"]
        case .compensation: claimTypes["compensation"]
        case .other: claimTypes["other"]
        }
    }
}
