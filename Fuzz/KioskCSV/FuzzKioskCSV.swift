#if canImport(Glibc)
import Glibc
#endif
import FuzzDriver
import KioskBridgeCore
import KioskBridgeFormats

/// Fuzzing: any bytes as a CSV kiosk file, read the way intake reads it: each record
/// checked, judged for plausibility, bounded for the store, and every refusal worded.
@main
struct FuzzKioskCSV {
    static func main() { runFuzzer(fuzzOne) }
}

/// One input: any bytes.
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The bounding every quoted value passes through, on the raw input.
    _ = BoundedText(String(decoding: bytes, as: UTF8.self)).quoted
    _ = bytes.withUnsafeBufferPointer { BoundedText.message(utf8: $0) }
    let fingerprint = FileFingerprint.of(bytes: bytes)
    let reader = KioskCSVReader(source: ByteSource(bytes: bytes), encoding: fingerprint.encoding)
    let mapping = ClaimTypeMapping(["BIBLIOTEKSGEBYR": "BIBGEBYR", "ERSTATNING": "BIBERSTAT"])
    do {
        let header = try reader.readHeader()
        let plausibility = PlausibilityRules().forFile(createdAt: header.createdAt)
        while let entry = try reader.next() {
            switch entry {
            case .payment(let fields, let place):
                switch fields.validated(claimTypes: mapping, line: place.line) {
                case .success(let payment): _ = plausibility.check(payment, line: place.line)?.description
                case .failure(let problem): _ = (problem.description, RecordSummary(fields).bounded)
                }
            case .void(let fields, let place):
                switch fields.validated(line: place.line) {
                case .success(let void): _ = plausibility.check(void, line: place.line)?.description
                case .failure(let problem): _ = (problem.description, RecordSummary(fields).bounded)
                }
            case .unusable(let problem, let summary): _ = (problem.description, summary.bounded)
            }
        }
    } catch {
        _ = String(describing: error)
    }
    return 0
}
