public import KioskBridgeCore

/// Walks the trail's hash chain, the same way whichever backend holds it.
public enum TrailVerifier {
    /// Rows read from the store per call.
    static let chunk = 5_000

    /// Checks every row's content hash and chain hash in id order, then the chain heads the
    /// database recorded with each export against the chain.
    public static func verify(_ session: any AuditSession) async throws -> TrailVerification {
        let recorded = try await session.archivedHeads()
        let wanted = Set(recorded.map(\.head.rowID))
        var walk = Walk(wanted: wanted)
        try await session.forEachTrailRow(chunk: chunk) { rows in
            for row in rows where walk.problem == nil { walk.check(row) }
        }
        if let problem = walk.problem { return TrailVerification(rowsChecked: walk.checked, head: walk.head, problem: problem) }
        for entry in recorded where walk.chainByID[entry.head.rowID] != entry.head.sha256 {
            let file = entry.archivePath.split(separator: "/").last.map(String.init) ?? entry.archivePath
            return TrailVerification(rowsChecked: walk.checked, head: walk.head, problem:
                "the chain head recorded when \(file) was exported (\(entry.head)) no longer matches the trail: the trail was rewritten after that export")
        }
        return TrailVerification(rowsChecked: walk.checked, head: walk.head, problem: nil)
    }

    /// The state of a walk along the chain.
    struct Walk {
        let wanted: Set<Int64>
        var expectedID: Int64 = 1
        var previous = TrailChain.genesis
        var checked = 0
        var head: TrailHead?
        var chainByID: [Int64: String] = [:]
        var problem: String?

        init(wanted: Set<Int64>) {
            self.wanted = wanted
        }

        mutating func check(_ row: TrailRow) {
            let entry = row.entry
            let subjects = "\(entry.subjectID)" + (entry.through.map { "-\($0)" } ?? "")
            let description = "trail row \(row.id) (\(entry.subject) \(subjects) \(entry.event) at \(Timestamp.format(entry.at)))"
            if row.id != expectedID {
                let missing = row.id - expectedID
                problem = row.id > expectedID
                    ? "trail row\(missing == 1 ? "" : "s") \(expectedID)\(missing == 1 ? "" : "-\(row.id - 1)") missing before \(description): removed from the trail"
                    : "\(description) is out of order"
                return
            }
            let contentHash = TrailChain.contentHash(id: row.id, entry)
            if contentHash != row.contentHash {
                problem = "\(description) does not fit: its content was changed after it was written"
                return
            }
            let chain = TrailChain.chain(previous: previous, contentHash: contentHash)
            if chain != row.chainHash {
                problem = "\(description) does not fit the row before it: a row was inserted, removed or rewritten there"
                return
            }
            previous = chain
            head = TrailHead(rowID: row.id, sha256: TrailChain.hex(chain))
            if wanted.contains(row.id) { chainByID[row.id] = TrailChain.hex(chain) }
            checked += 1
            expectedID = row.id + 1
        }
    }
}
