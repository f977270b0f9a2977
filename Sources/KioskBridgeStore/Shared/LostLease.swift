/// A fenced write of a holder that lost the lease may fail before its own fencing check,
/// on what the new holder wrote first (a file it booked, a batch it prepared): that
/// failure is the lost lease too, and is reported as the refusal it is.
public enum LostLease {
    /// Runs `write`; when it fails with anything but a fencing refusal while `fence` is no
    /// longer the lease's token (`stillHolds` asks the store), throws ``StoreError/Code/fenced``.
    public static func refusing<T>(_ fence: Int64?, backend: String, stillHolds: (Int64) async throws -> Bool,
                                   _ write: () async throws -> T) async throws -> T {
        do {
            return try await write()
        } catch let error where fence != nil && (error as? StoreError)?.code != .fenced {
            if let fence, try await !stillHolds(fence) {
                throw StoreError(.fenced, "a newer lease holder wrote first (\((error as? StoreError)?.message ?? String(describing: error)))",
                                 backend: backend)
            }
            throw error
        }
    }
}
