import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// claims-snapshot.md
@Suite("claims-snapshot.md: reading")
struct ClaimsSnapshotReaderTests {
    static let example = """
        H;1;DEBTOR;2026-11-21T06:00:00+01:00
        C;F-1001;0101901234;BIBLIOTEKSGEBYR;2026-09-01;2026-09-15;20,00;20,00;DEBTOR
        C;F-1002;0101901234;BIBLIOTEKSGEBYR;2026-10-03;2026-10-17;20,00;20,00;DEBTOR
        C;F-0999;0101901234;ERSTATNING;2026-06-10;;300,00;150,00;FBS
        P;KIOSK-0042;K42-20261120-0017
        T;3;190,00

        """

    func read(_ text: String) throws -> (ClaimsSnapshotHeader, [SnapshotEntry]) {
        let path = TestFiles.write(text, name: "claims.csv")
        let reader = ClaimsSnapshotReader(source: try ByteSource(path: path), encoding: .utf8)
        let header = try reader.readHeader()
        var entries: [SnapshotEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return (header, entries)
    }

    @Test("The spec's example: three claims, one P record, trailer over outstanding amounts")
    func example() throws {
        let (header, entries) = try read(Self.example)
        #expect(header.source == .debtor)
        let claims = entries.compactMap { if case .claim(let claim, _) = $0 { claim } else { nil } }
        #expect(claims.map(\.id) == ["F-1001", "F-1002", "F-0999"])
        #expect(claims[2].dueOn == nil)
        #expect(claims[2].payableIn == .fbs)
        #expect(claims[2].outstanding == Amount(ore: 15_000))
        #expect(entries.contains { if case .applied(let p, _) = $0 { p.transactionID == "K42-20261120-0017" } else { false } })
    }

    @Test("RFC 4180: text after a closing quote refuses the snapshot, naming the line and the field")
    func textAfterClosingQuote() {
        do {
            _ = try read(Self.example.replacingOccurrences(of: "C;F-1002;", with: "C;\"F-10\"02;"))
            Issue.record("the snapshot was read")
        } catch let problem as IntakeProblem {
            #expect(problem.code == .malformedField)
            #expect(problem.line == 3)
            #expect(problem.field == RecordField.Snapshot.claimID)
            #expect(problem.description.hasPrefix("line 3, field 2 (claim id): found '\"F-10\"02', expected a field that ends at its closing quote"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("A line longer than 64 KiB refuses the snapshot at that line")
    func lineTooLong() {
        let text = Self.example.replacingOccurrences(of: "C;F-1002;", with: "C;F-" + String(repeating: "2", count: 70_000) + ";")
        #expect { try read(text) } throws: { ($0 as? IntakeProblem)?.code == .lineTooLong && ($0 as? IntakeProblem)?.line == 3 }
    }

    @Test("A bad trailer refuses the snapshot")
    func badTrailer() {
        #expect(throws: IntakeProblem.self) { try read(Self.example.replacingOccurrences(of: "T;3;190,00", with: "T;3;200,00")) }
        #expect(throws: IntakeProblem.self) { try read(Self.example.replacingOccurrences(of: "T;3;190,00\n", with: "")) }
    }

    @Test("Any invalid record refuses the snapshot", arguments: [
        ("C;F-1001;0101901234;", "C;F-1001;3102901234;"),
        ("2026-09-01;2026-09-15", "2026-09-31;2026-09-15"),
        (";DEBTOR\nC;F-1002", ";SOMEWHERE\nC;F-1002"),
        ("20,00;20,00;DEBTOR\nC;F-1002", "20,00;-20,00;DEBTOR\nC;F-1002"),
        ("H;1;DEBTOR;", "H;1;BANK;"),
    ])
    func invalidRecord(old: String, new: String) {
        #expect(throws: IntakeProblem.self) { try read(Self.example.replacingOccurrences(of: old, with: new)) }
    }
}
