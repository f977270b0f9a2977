import Foundation
import Testing
import KioskBridgeRuntime

/// `[[till]]`: the desk's tills, each a kiosk id of its own (issue 16).
@Suite("[[till]] in the configuration")
struct TillConfigurationTests {
    func load(_ text: String) throws -> BridgeConfiguration {
        try ConfigurationLoader.parse(text: "[claim_types]\nBIBLIOTEKSGEBYR = \"BIBGEBYR\"\n" + text, path: "/etc/kioskbridge/kioskbridge.toml")
    }

    func refusal(_ text: String) -> String? {
        do {
            _ = try load(text)
            return nil
        } catch {
            return String(describing: error)
        }
    }

    @Test("tillsConfigured: each [[till]] has an id and a location (the id when none is given); none by default")
    func tillsConfigured() throws {
        #expect(try load("").tills.isEmpty)
        let tills = try load("[[till]]\nid = \"DESK-HOVED\"\nlocation = \"Hovedbiblioteket, skranken\"\n[[till]]\nid = \"DESK-FILIAL\"\n").tills
        #expect(tills == [TillSettings(id: "DESK-HOVED", location: "Hovedbiblioteket, skranken"), TillSettings(id: "DESK-FILIAL", location: "DESK-FILIAL")])
    }

    @Test("tillIdChecked: an id that is no kiosk id, is used twice, or leaves its receipts too long for an export is refused, naming the table")
    func tillIdChecked() {
        #expect(refusal("[[till]]\nid = \"DESK HOVED\"")?.contains("[[till]] #1 id: expected 1 to 40 characters") == true)
        #expect(refusal("[[till]]\nlocation = \"x\"")?.contains("[[till]] #1 id") == true)
        #expect(refusal("[[till]]\nid = \"A\"\n[[till]]\nid = \"A\"")?.contains("[[till]] #2 id: expected an id different") == true)
        #expect(refusal("[[till]]\nid = \"A\"\ncolour = \"red\"")?.contains("colour") == true)
        #expect(refusal("[[till]]\nid = \"A\"\nlocation = \"a;b\"")?.contains("location") == true)
        // camt054 carries identifiers of at most 35 characters: the till id at most 28.
        let camt = "[[export]]\nprofile = \"camt054\"\nprefix = \"camt\"\naccount = \"DK-BIB\"\n"
        #expect(refusal(camt + "[[till]]\nid = \"\(String(repeating: "K", count: 29))\"")?.contains("at most 28 characters") == true)
        #expect(refusal(camt + "[[till]]\nid = \"\(String(repeating: "K", count: 28))\"") == nil)
    }
}
