import Foundation
public import KioskBridgeCore
public import KioskBridgeStore
public import Logging

/// Puts the tills' payments and voids into the inbox as their kiosk files, at the start of
/// every intake: what is confirmed at the desk is stored first and written out here, by
/// whichever bridge takes the inbox in, so a crash between the two loses nothing and a
/// desk on another server needs no share of the inbox.
public struct TillOutbox: Sendable {
    let configuration: BridgeConfiguration
    let store: any BridgeStore
    let logger: Logger

    public init(configuration: BridgeConfiguration, store: any BridgeStore, logger: Logger) {
        self.configuration = configuration
        self.store = store
        self.logger = logger
    }

    /// Writes each till record that no recorded file of its till covers yet, unless its
    /// file already waits in the inbox or in `processing/`; returns how many it wrote.
    /// A till taken out of the configuration still has its confirmed records written (with
    /// its id as the location): what staff confirmed is never left behind.
    @discardableResult
    public func writePending() async throws -> Int {
        let configured = Set(configuration.tills.map(\.id))
        let tills = configuration.tills + (try await store.desk { try await $0.tillIDs() })
            .filter { !configured.contains($0) }.map { TillSettings(id: $0, location: $0) }
        var written = 0
        for till in tills {
            let pending = try await store.desk { try await $0.tillEntriesToFile(tillID: till.id) }
            for entry in pending {
                let name = TillFile.name(of: entry)
                let paths = configuration.paths
                guard !FileManager.default.fileExists(atPath: paths.inbox + "/" + name),
                      !FileManager.default.fileExists(atPath: paths.processing + "/" + name) else { continue }
                try FileSystem.writeAtomically(TillFile.text(of: entry, location: till.location), to: paths.inbox + "/" + name, mode: 0o600)
                logger.info("till record written to the inbox", metadata: ["till": "\(till.id)", "file": "\(name)"])
                written += 1
            }
        }
        return written
    }
}
