/// The two generations of ISO 20022 camt.054 the bridge can write.
///
/// Danish banks' implementation guides still follow the 2009 generation (`.02`), which is
/// the default; newer ERP imports expect `.08`. They carry the same facts; the element
/// shapes differ in a few places (status, net total, transaction amount, debtor party).
public enum Camt054Version: String, Sendable, CaseIterable {
    case v02 = "camt.054.001.02"
    case v08 = "camt.054.001.08"

    public var namespace: String { "urn:iso:std:iso:20022:tech:xsd:\(rawValue)" }

    /// The bridge's own schema for the subset it writes (used when the profile names none).
    public func ownSchema() throws(XMLSchema.CompileError) -> XMLSchema {
        switch self {
        case .v02: try XMLSchema(bytes: PackageResources.camt_054_001_02_kioskbridge_xsd, name: "camt.054.001.02-kioskbridge.xsd")
        case .v08: try XMLSchema(bytes: PackageResources.camt_054_001_08_kioskbridge_xsd, name: "camt.054.001.08-kioskbridge.xsd")
        }
    }
}
