public import KioskBridgeCore

/// The reference `csv` export layout of debtor-export.md, also used for FBS worklists.
///
/// `H;1;batch id;sequence;created at`, then `L;n;kind;transaction id;kiosk id;receipt;
/// paid at;payer;debtor claim type;claim id;amount` per part, then `T;count;sum`.
/// UTF-8, LF, decimal comma, local Copenhagen timestamps with offset.
public struct CSVExportRenderer: ExportRendering {
    public init() {}

    public var fileExtension: String { "csv" }

    public func makeWriter(batch: ExportBatchInfo, sink: any ExportSink) throws -> any ExportDocumentWriter {
        let writer = Writer(sink: sink)
        writer.append(["H", "1", batch.batchID, String(batch.sequence), Timestamp.format(batch.createdAt)])
        return writer
    }

    final class Writer: ExportDocumentWriter {
        let sink: any ExportSink
        var buffer: [UInt8] = []
        var number = 0
        var sum = Amount.zero

        init(sink: any ExportSink) {
            self.sink = sink
            buffer.reserveCapacity(1 << 16)
        }

        func add(_ line: ExportLine) throws {
            number += 1
            sum += line.amount
            // Field by field into the buffer: the same bytes as `append`, without an array of
            // strings per line.
            appendField("L")
            appendFollowing(String(number))
            appendFollowing(line.kind.rawValue)
            appendFollowing(line.transactionID)
            appendFollowing(line.kioskID)
            appendFollowing(line.receipt)
            buffer.append(UInt8(ascii: ";"))
            Timestamp.append(line.paidAt, to: &buffer)
            appendFollowing(line.payerDigits)
            appendFollowing(line.debtorClaimType)
            appendFollowing(line.claimID ?? "")
            appendFollowing(line.amount.formatted(decimalSeparator: ","))
            buffer.append(10)
            if buffer.count >= 1 << 16 {
                try sink.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }

        func finish() throws {
            append(["T", String(number), sum.formatted(decimalSeparator: ",")])
            try sink.write(buffer)
            buffer.removeAll()
        }

        /// One record, fields quoted only where they must be.
        func append(_ fields: [String]) {
            for (index, field) in fields.enumerated() {
                if index > 0 { buffer.append(UInt8(ascii: ";")) }
                appendField(field)
            }
            buffer.append(10)
        }

        /// A field after the first: the separator, then the field.
        func appendFollowing(_ field: String) {
            buffer.append(UInt8(ascii: ";"))
            appendField(field)
        }

        /// One field, quoted when it holds a separator, a quote or a line end.
        func appendField(_ field: String) {
            let utf8 = field.utf8
            if utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                buffer.append(UInt8(ascii: "\""))
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") { buffer.append(byte) }
                    buffer.append(byte)
                }
                buffer.append(UInt8(ascii: "\""))
            } else {
                buffer.append(contentsOf: utf8)
            }
        }
    }
}
