import KioskBridgeCore

extension ConfigurationReader {
    /// `[[till]]` tables: each a kiosk id of its own, unique, with a location.
    func tills() throws -> [TillSettings] {
        guard let value = root["till"] else { return [] }
        guard let list = value.array else { throw fail("[[till]]", "one or more [[till]] tables", found: value) }
        var tills: [TillSettings] = []
        for (index, item) in list.enumerated() {
            let section = "[[till]] #\(index + 1)"
            guard let table = item.table else { throw fail(section, "a table", found: item) }
            try rejectUnknown(table, in: section, known: ["id", "location"])
            guard let id = try string(table, "id", in: section) else {
                throw fail("\(section) id", "the till's kiosk id, e.g. \"DESK-HOVED\" (the key is required)")
            }
            guard KioskID(id) != nil, id.count <= TillSettings.maximumIDLength else {
                throw fail("\(section) id", "1 to \(TillSettings.maximumIDLength) characters of A-Z a-z 0-9 . _ -, starting with a letter or a digit",
                           found: table["id"])
            }
            guard !tills.contains(where: { $0.id == id }) else {
                throw fail("\(section) id", "an id different from the other [[till]] tables: \"\(id)\" is used twice")
            }
            let location = try string(table, "location", in: section) ?? id
            guard !location.isEmpty, location.count <= 200, !location.contains(where: { $0 == ";" || $0.isNewline || $0 == "\"" }) else {
                throw fail("\(section) location", "a name of 1 to 200 characters without ; \" or a line break", found: table["location"])
            }
            tills.append(TillSettings(id: id, location: location))
        }
        return tills
    }
}
