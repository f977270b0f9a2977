#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import KioskBridgeRuntime

/// Fuzzing: any bytes as `kioskbridge.toml`.
@main
struct FuzzConfiguration {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input: any bytes.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try ConfigurationLoader.parse(text: text, path: "/fuzz/kioskbridge.toml")
    } catch {
        _ = String(describing: error)
    }
    return 0
}
