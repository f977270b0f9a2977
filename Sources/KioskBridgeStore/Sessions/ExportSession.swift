public import KioskBridgeCore

/// Reading a batch's lines, to render its file. The same batch always gives the same
/// lines in the same order, so a file written again after a crash has the same bytes.
public protocol ExportSession: AnyObject {
    /// The batch's lines in file order: reversals (in the order of the voids), then the
    /// payments' parts (in the order the payments were paid, cycle by cycle), handed over
    /// in runs of up to `chunk` lines.
    func forEachLine(of batch: StoredBatch, chunk: Int, _ body: ([ExportLine]) async throws -> Void) async throws
}
