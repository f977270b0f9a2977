public import KioskBridgeCore

/// The `fixed` export profile: a file in the fixed-width layout the configuration gives.
///
/// Header and trailer carry batch facts (count, sum, sequence, batch id, creation time);
/// line records carry the export line's fields. A value wider than its field, or a
/// character the file's encoding cannot hold, stops the document with an error naming the
/// record and the field; nothing is ever cut to fit.
public struct FixedWidthRenderer: ExportRendering {
    public let layout: FixedWidthLayout

    public init(layout: FixedWidthLayout) {
        self.layout = layout
    }

    public var fileExtension: String { layout.fileExtension }

    public func makeWriter(batch: ExportBatchInfo, sink: any ExportSink) throws -> any ExportDocumentWriter {
        let writer = Writer(layout: layout, batch: batch, sink: sink)
        if !layout.header.isEmpty { try writer.record(layout.header, name: "header", line: nil, number: 0) }
        return writer
    }

    final class Writer: ExportDocumentWriter {
        let layout: FixedWidthLayout
        let batch: ExportBatchInfo
        let sink: any ExportSink
        var buffer: [UInt8] = []
        var number = 0

        init(layout: FixedWidthLayout, batch: ExportBatchInfo, sink: any ExportSink) {
            self.layout = layout
            self.batch = batch
            self.sink = sink
            buffer.reserveCapacity(1 << 16)
        }

        func add(_ line: ExportLine) throws {
            number += 1
            try record(layout.line, name: "line", line: line, number: number)
            if buffer.count >= 1 << 16 {
                try sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }

        func finish() throws {
            if !layout.trailer.isEmpty { try record(layout.trailer, name: "trailer", line: nil, number: number) }
            try sink.write(buffer)
            buffer.removeAll()
        }

        func record(_ fields: [FixedWidthField], name: String, line: ExportLine?, number: Int) throws {
            for field in fields {
                let value = self.value(of: field, line: line, number: number)
                guard let text = field.filled(value) else {
                    let shown = field.source == .line(.payer) ? PersonalDataRedaction.redactCPRs(in: value) : value
                    throw ExportDocumentError("\(batch.batchID), \(place(name, line: line, number: number)), \(field.label): "
                                              + "\"\(shown)\" needs \(value.unicodeScalars.count) characters, the layout gives it \(field.width); "
                                              + "widen the field in the layout (values are never cut)")
                }
                try append(text, field: field, name: name, line: line, number: number)
            }
            buffer.append(contentsOf: layout.lineEnding.bytes)
        }

        private func place(_ name: String, line: ExportLine?, number: Int) -> String {
            guard let line else { return "\(name) record" }
            return "line record \(number) (transaction \(line.transactionID))"
        }

        private func value(of field: FixedWidthField, line: ExportLine?, number: Int) -> String {
            switch field.source {
            case .constant(let text): return text
            case .batch(let fact):
                switch fact {
                case .count: return String(batch.lineCount)
                case .sum: return field.text(of: batch.sum)
                case .sequence: return String(batch.sequence)
                case .batchID: return batch.batchID
                case .createdAt: return format(batch.createdAt, field)
                }
            case .line(let fact):
                // The layout reader allows line facts in line records only.
                guard let line else { return "" }
                switch fact {
                case .lineNumber: return String(number)
                case .kind: return line.kind.rawValue
                case .transactionID: return line.transactionID
                case .kioskID: return line.kioskID
                case .receipt: return line.receipt
                case .paidAt: return format(line.paidAt, field)
                case .payer: return line.payerDigits
                case .payerType: return line.payerIsCompany ? "CVR" : "CPR"
                case .claimType: return line.debtorClaimType
                case .claimID: return line.claimID ?? ""
                case .amount: return field.text(of: line.amount)
                }
            }
        }

        private func format(_ instant: Instant, _ field: FixedWidthField) -> String {
            field.pattern?.format(instant) ?? Timestamp.format(instant)
        }

        private func append(_ text: String, field: FixedWidthField, name: String, line: ExportLine?, number: Int) throws {
            switch layout.encoding {
            case .utf8:
                buffer.append(contentsOf: text.utf8)
            case .latin1:
                for scalar in text.unicodeScalars {
                    guard scalar.value <= 0xFF else {
                        throw ExportDocumentError("\(batch.batchID), \(place(name, line: line, number: number)), \(field.label): "
                                                  + "the character \"\(scalar)\" cannot be written in ISO-8859-1")
                    }
                    buffer.append(UInt8(scalar.value))
                }
            }
        }
    }
}
