import Foundation
import KioskBridgeCore
@testable import KioskBridgeFormats

/// Writes test input to a temporary file and reads it back through the real readers.
enum TestFiles {
    static func write(_ bytes: [UInt8], name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kioskbridge-formats-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    static func write(_ text: String, name: String, latin1: Bool = false, crlf: Bool = false) -> String {
        var content = text
        if crlf { content = content.replacingOccurrences(of: "\n", with: "\r\n") }
        let bytes: [UInt8] = latin1 ? content.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } : Array(content.utf8)
        return write(bytes, name: name)
    }

    struct Read {
        var header: KioskFileHeader?
        var entries: [KioskFileEntry] = []
        var problem: IntakeProblem?
    }

    static let schema = try! XMLSchema.kioskExport()

    /// Reads a whole kiosk file; a whole-file problem ends the reading.
    static func read(_ path: String) -> Read {
        var result = Read()
        do {
            let source = try ByteSource(path: path)
            let fingerprint = try FileFingerprint.of(source)
            let format = KioskFileFormat(fileName: path) ?? .csv
            let reader = try KioskFileFormat.reader(for: path, format: format, encoding: fingerprint.encoding, schema: { schema })
            result.header = try reader.readHeader()
            while let entry = try reader.next() { result.entries.append(entry) }
        } catch let problem as IntakeProblem {
            result.problem = problem
        } catch {
            result.problem = IntakeProblem(.unreadableFile, line: 0, expected: "\(error)")
        }
        return result
    }

    static func payments(_ read: Read) -> [PaymentFields] {
        read.entries.compactMap { if case .payment(let fields, _) = $0 { fields } else { nil } }
    }
}
