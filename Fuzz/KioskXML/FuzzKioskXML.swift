#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import KioskBridgeCore
import KioskBridgeFormats

nonisolated(unsafe) private let schema = try? XMLSchema.kioskExport()

/// Fuzzing: any bytes as an XML kiosk file, validated and read with libxml2.
@main
struct FuzzKioskXML {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input: any bytes.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard let schema else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let reader = try KioskXMLReader(bytes: bytes, schema: schema)
        _ = try reader.readHeader()
        while let entry = try reader.next() { _ = entry }
    } catch {
        _ = String(describing: error)
    }
    return 0
}
