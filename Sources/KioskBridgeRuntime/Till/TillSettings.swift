public import KioskBridgeCore

/// `[[till]]`: a desk till where staff take payments by hand (MobilePay to the library's
/// number, cash or card at the counter). Each till is a kiosk of its own: its payments go
/// out as its kiosk files, numbered in its own gap-free series.
public struct TillSettings: Sendable, Hashable {
    /// The till's kiosk id, e.g. `DESK-HOVED`.
    public let id: String
    /// Where it stands, as kiosk files name their location.
    public let location: String

    /// A till id leaves room for `-000001` in the transaction id and the receipt number.
    public static let maximumIDLength = 40

    public init(id: String, location: String) {
        self.id = id
        self.location = location
    }
}
