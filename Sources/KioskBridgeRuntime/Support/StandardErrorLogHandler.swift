import Foundation
public import Logging
import KioskBridgeCore

/// Log lines on standard error, one per event: time, level, message, then key=value.
/// Standard output stays free for results (and for `--json`).
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        let suffix = fields.sorted { $0.key < $1.key }.map { " \($0.key)=\(Self.quote("\($0.value)"))" }.joined()
        // A last guard: whatever a message quotes, no whole CPR number reaches the log, and no
        // line break in a value starts a line of its own.
        let text = BoundedText.visible(PersonalDataRedaction.redactCPRs(in: "\(event.message)\(suffix)"))
        let now = Instant(secondsSinceEpoch: Int(Date().timeIntervalSince1970))
        let line = "\(Timestamp.format(now)) \(event.level) \(label): \(text)\n"
        try? FileHandle.standardError.write(contentsOf: Data(line.utf8))
    }

    static func quote(_ value: String) -> String {
        value.contains(" ") || value.isEmpty ? "\"\(value)\"" : value
    }
}
