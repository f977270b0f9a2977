#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import KioskBridgeCore
import KioskBridgeFormats

/// Fuzzing: any bytes as a CSV kiosk file, read the way intake reads it.
@main
struct FuzzKioskCSV {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input: any bytes.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let fingerprint = FileFingerprint.of(bytes: bytes)
    let reader = KioskCSVReader(source: ByteSource(bytes: bytes), encoding: fingerprint.encoding)
    let mapping = ClaimTypeMapping(["BIBLIOTEKSGEBYR": "BIBGEBYR", "ERSTATNING": "BIBERSTAT"])
    do {
        _ = try reader.readHeader()
        while let entry = try reader.next() {
            switch entry {
            case .payment(let fields, let place): _ = fields.validated(claimTypes: mapping, line: place.line)
            case .void(let fields, let place): _ = fields.validated(line: place.line)
            case .unusable(let problem, _): _ = problem.description
            }
        }
    } catch {
        _ = String(describing: error)
    }
    return 0
}
