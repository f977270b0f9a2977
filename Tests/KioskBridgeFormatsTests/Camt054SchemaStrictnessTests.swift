import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import KioskBridgeCore
@testable import KioskBridgeFormats

/// The bridge's own camt.054 schemas must not be looser than the official ones: a
/// document the bridge's schema accepts must pass the official schema too, or a defect in
/// the writer could slip through validation and reach the debtor.
///
/// The test takes valid documents and breaks them in every way it can think of (each
/// element removed, each element doubled, neighbours swapped, each text replaced by
/// something too long, empty, negative, over-precise or of the wrong kind, the currency
/// changed), and checks every broken document the bridge's schema lets through against
/// the official schema.
@Suite("debtor-export.md: the bridge's camt.054 schema is not looser than the official one")
struct Camt054SchemaStrictnessTests {
    /// Every variant of `document` with one thing broken.
    static func mutants(of document: XMLDocument) throws -> [Data] {
        var results: [Data] = []
        let count = try document.nodes(forXPath: "//*").count
        let replacements = ["", String(repeating: "X", count: 36), String(repeating: "Y", count: 501), "-1.00", "1.001",
                            "12.5", "abc", "2026-11-23", "2026-11-23T10:20:00", "0"]
        for index in 1..<count {
            func variant(_ change: (XMLElement) -> Void) throws {
                guard let copy = document.copy() as? XMLDocument,
                      let element = try copy.nodes(forXPath: "//*")[index] as? XMLElement else { return }
                change(element)
                results.append(copy.xmlData)
            }
            try variant { element in element.detach() }
            try variant { element in
                guard let parent = element.parent as? XMLElement, let twin = element.copy() as? XMLElement else { return }
                parent.insertChild(twin, at: element.index + 1)
            }
            try variant { element in
                guard let parent = element.parent as? XMLElement, element.index + 1 < parent.childCount,
                      let next = parent.child(at: element.index + 1) else { return }
                next.detach()
                parent.insertChild(next, at: element.index)
            }
            let isLeaf = (element(at: index, in: document)?.children ?? []).allSatisfy { $0.kind == .text }
            if isLeaf {
                for text in replacements {
                    try variant { element in element.stringValue = text }
                }
            }
            try variant { element in
                if element.attribute(forName: "Ccy") != nil {
                    element.attribute(forName: "Ccy")?.stringValue = "dkk"
                } else if let attribute = XMLNode.attribute(withName: "Ccy", stringValue: "DKK") as? XMLNode {
                    element.addAttribute(attribute)
                }
            }
        }
        return results
    }

    static func element(at index: Int, in document: XMLDocument) -> XMLElement? {
        (try? document.nodes(forXPath: "//*"))?[index] as? XMLElement
    }

    @Test("Every broken document the bridge's schema accepts is also valid against the official schema",
          .enabled(if: ExportSamples.officialSchemaFolder != nil, "the official schemas are reference data outside the repository"),
          arguments: Camt054Version.allCases)
    func notLooser(version: Camt054Version) throws {
        let official = try #require(try ExportSamples.officialSchema(version))
        let own = try version.ownSchema()
        let lines = Array(ExportSamples.day[1...3]) + [ExportSamples.day[6]]
        let renderer = Camt054Renderer(version: version, account: "DK-BIB-0042", schema: own)
        let bytes = try renderer.render(batch: ExportSamples.batch(lines: lines), lines: lines)
        let document = try XMLDocument(data: Data(bytes))
        var acceptedByOwn = 0
        var refusedByOwn = 0
        var looser: [String] = []
        for mutant in try Self.mutants(of: document) {
            let path = ExportSamples.write(Array(mutant))
            if own.validate(file: path).isEmpty {
                acceptedByOwn += 1
                if let problem = official.validate(file: path).first {
                    looser.append(problem.description)
                }
            } else {
                refusedByOwn += 1
            }
        }
        #expect(looser.isEmpty, "documents the bridge's schema accepts but the official one refuses: \(looser.prefix(5))")
        // The mutations really test something: most of them break the document.
        #expect(refusedByOwn > 500)
        #expect(acceptedByOwn + refusedByOwn > 800)
    }
}
