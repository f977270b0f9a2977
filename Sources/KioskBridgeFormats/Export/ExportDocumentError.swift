/// An export document that cannot be made or would not be valid.
///
/// Such a batch is never delivered: the bridge gives its sequence number back and leaves
/// its payments pending, so that once the cause is fixed (a layout too narrow for a value,
/// an identifier longer than the format allows) the next cycle exports them.
public struct ExportDocumentError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
