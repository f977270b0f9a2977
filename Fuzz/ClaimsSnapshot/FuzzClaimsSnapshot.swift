#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import KioskBridgeCore
import KioskBridgeFormats

/// Fuzzing: any bytes as an open-claims snapshot.
@main
struct FuzzClaimsSnapshot {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input: any bytes.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let reader = ClaimsSnapshotReader(source: ByteSource(bytes: bytes), encoding: FileFingerprint.of(bytes: bytes).encoding)
    do {
        _ = try reader.readHeader()
        while let entry = try reader.next() { _ = entry }
    } catch {
        _ = String(describing: error)
    }
    return 0
}
