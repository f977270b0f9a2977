import Foundation
public import KioskBridgeStore

/// `audit verify`: proves the trail has not been changed since it was written.
///
/// Walks the hash chain row by row, checks it against the chain heads recorded with each
/// export in the database, and against the heads kept beside the archived export files,
/// which a change to the database cannot reach.
public struct TrailAudit: Sendable {
    let store: any BridgeStore

    public init(store: any BridgeStore) {
        self.store = store
    }

    public func verify() async throws -> TrailVerification {
        let (result, archived) = try await store.audit { session in
            (try await TrailVerifier.verify(session), try await session.archivedHeads())
        }
        guard result.problem == nil else { return result }
        // The anchors beside the archived files. One may name a later row than the database
        // recorded: a bridge that wrote it and then lost the lease before recording it. Any
        // row of the real chain with its own hash is a true anchor.
        var anchors: [(entry: ArchivedHead, sidecar: String, kept: TrailHead)] = []
        for entry in archived {
            let sidecar = entry.archivePath + ".trail-head"
            // An export copy removed by `purge` takes its anchor with it; a copy without its
            // anchor is a removed anchor.
            guard FileManager.default.fileExists(atPath: entry.archivePath) else { continue }
            guard let text = try? String(contentsOfFile: sidecar, encoding: .utf8), let kept = TrailHead(parsing: text) else {
                return TrailVerification(rowsChecked: result.rowsChecked, head: result.head, problem:
                    "\(sidecar) is missing or unreadable: the trail's anchor beside \((entry.archivePath as NSString).lastPathComponent) was removed")
            }
            anchors.append((entry, sidecar, kept))
        }
        let rows = anchors.map(\.kept.rowID)
        let heads = try await store.audit { try await $0.chainHashes(of: rows) }
        for anchor in anchors where heads[anchor.kept.rowID] != anchor.kept.sha256 {
            return TrailVerification(rowsChecked: result.rowsChecked, head: result.head, problem:
                "the trail no longer matches \(anchor.sidecar) (\(anchor.kept)): the trail was rewritten after \((anchor.entry.archivePath as NSString).lastPathComponent) was exported")
        }
        return result
    }
}

extension TrailVerification {
    public var text: String {
        if let problem { return "The trail does NOT verify after \(rowsChecked) rows: \(problem)\n" }
        return "The trail is intact: \(rowsChecked) rows, the chain ends at \(head?.description ?? "nothing (empty)")\n"
    }
}
