public import KioskBridgeCore

/// Pseudonymising personal data kept longer than the law requires.
public protocol PurgeSession: AnyObject {
    /// Replaces the CPR numbers of payments (and refused records) exported, or last
    /// touched, before `cutoff` with `pseudonym(number)`. Amounts, ids and the trail stay
    /// as they are.
    func pseudonymise(before cutoff: Instant, pseudonym: @escaping @Sendable (String) -> String, at: Instant) async throws -> PurgeResult
    /// The archived and refused files (and export copies) from before `cutoff`.
    func purgeableFiles(before cutoff: Instant) async throws -> PurgeableFiles
    func notePurge(_ text: String, at: Instant) async throws
}
