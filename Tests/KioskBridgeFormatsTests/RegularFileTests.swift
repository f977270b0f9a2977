import Foundation
import Testing
@testable import KioskBridgeFormats
#if canImport(Glibc)
import Glibc
#endif

/// Files from the inbox are opened as regular files only: a link is not followed, a pipe
/// is not waited on, and the check is made on the open descriptor.
@Suite("Opening inbox files: regular files only")
struct RegularFileTests {
    static let csv = "H;1;K;L;1;2026-11-21T14:15:00+01:00\nT;0;0,00\n"

    func kind(of path: String) -> FileKind? {
        do {
            _ = try ByteSource(regularFileAt: path)
            return .regular
        } catch {
            return error.kind
        }
    }

    @Test("A regular file opens; a link to one, a named pipe and a folder are refused unread, each named for what it is")
    func kinds() throws {
        let file = TestFiles.write(Self.csv, name: "K.csv")
        let folder = (file as NSString).deletingLastPathComponent
        let link = folder + "/link.csv"
        #expect(symlink(file, link) == 0)
        let pipe = folder + "/pipe.csv"
        #expect(mkfifo(pipe, 0o600) == 0)
        let sub = folder + "/sub.csv"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: false)
        #expect(kind(of: file) == .regular)
        #expect(kind(of: link) == .symbolicLink)
        #expect(kind(of: pipe) == .namedPipe)
        #expect(kind(of: sub) == .folder)
        #expect(kind(of: folder + "/missing.csv") == nil)
    }

    @Test("Both kiosk readers refuse a link to a valid kiosk file", arguments: ["csv", "xml"])
    func readersRefuseLinks(format: String) throws {
        let text = format == "csv" ? Self.csv : """
            <?xml version="1.0" encoding="UTF-8"?>
            <KioskExport xmlns="urn:kioskbridge:kiosk-export:1" version="1" kioskId="K" location="L" sequence="1" createdAt="2026-11-21T14:15:00+01:00"><Control count="0" total="0.00"/></KioskExport>
            """
        let file = TestFiles.write(text, name: "K.\(format)")
        #expect(TestFiles.read(file).problem == nil)
        let link = (file as NSString).deletingLastPathComponent + "/link.\(format)"
        #expect(symlink(file, link) == 0)
        #expect {
            _ = try KioskFileFormat.reader(for: link, format: format == "csv" ? .csv : .xml, encoding: .utf8, schema: { TestFiles.schema })
        } throws: { ($0 as? FileAccessError)?.kind == .symbolicLink }
    }
}
