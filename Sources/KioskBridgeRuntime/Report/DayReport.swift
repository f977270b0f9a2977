import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// `report`: one day's reconciliation (afstemning), per kiosk.
///
/// Payments are counted on the day the kiosk took them (Copenhagen time). For each kiosk:
/// what was received (refused records included), rejected, voided, exported, and what
/// is still pending, so that received = exported + voided + rejected + pending, to the øre.
public struct DayReport: Sendable {
    public let date: LocalDate
    public let kiosks: [KioskPeriodFigures]
    public let files: [StoredFile]
    public let batches: [StoredBatch]
    public let gaps: [(kioskID: String, missing: ClosedRange<Int>)]
    public let rejectedRecords: [RejectedRecordView]

    public static func make(date: LocalDate, store: any BridgeStore) throws -> DayReport {
        let from = CopenhagenTime.startOfDay(date)
        let to = CopenhagenTime.startOfDay(date.adding(days: 1))
        return try store.read { reader in
            DayReport(date: date, kiosks: try reader.kioskFigures(from: from, to: to),
                      files: try reader.filesReceived(from: from, to: to), batches: try reader.batches(from: from, to: to),
                      gaps: try reader.sequenceGaps(), rejectedRecords: try reader.rejectedRecords(from: from, to: to))
        }
    }

    public var totals: KioskPeriodFigures {
        var total = KioskPeriodFigures(kioskID: "TOTAL")
        for kiosk in kiosks {
            total.received.count += kiosk.received.count
            total.received.sum += kiosk.received.sum
            total.rejected.count += kiosk.rejected.count
            total.rejected.sum += kiosk.rejected.sum
            total.voided.count += kiosk.voided.count
            total.voided.sum += kiosk.voided.sum
            total.exported.count += kiosk.exported.count
            total.exported.sum += kiosk.exported.sum
            total.pending.count += kiosk.pending.count
            total.pending.sum += kiosk.pending.sum
            total.files += kiosk.files
            total.filesRejected += kiosk.filesRejected
        }
        return total
    }

    public var json: JSONValue {
        func tally(_ value: KioskPeriodFigures.Tally) -> JSONValue {
            .object([("count", .int(value.count)), ("sum_ore", .int(value.sum.ore))])
        }
        func figures(_ value: KioskPeriodFigures) -> JSONValue {
            .object([
                ("kiosk_id", .string(value.kioskID)), ("location", .string(value.location)),
                ("files", .int(value.files)), ("files_rejected", .int(value.filesRejected)),
                ("received", tally(value.received)), ("rejected", tally(value.rejected)), ("voided", tally(value.voided)),
                ("exported", tally(value.exported)), ("pending", tally(value.pending)),
            ])
        }
        return .object([
            ("date", .string(date.description)),
            ("kiosks", .array(kiosks.map(figures))),
            ("totals", figures(totals)),
            ("files", .array(files.map { file in
                .object([("name", .string(file.name)), ("kiosk_id", file.kioskID.map(JSONValue.string) ?? .null),
                         ("sequence", file.sequence.map(JSONValue.int) ?? .null), ("verdict", .string(file.verdict.rawValue)),
                         ("reason", file.reason.map(JSONValue.string) ?? .null)])
            })),
            ("export_files", .array(batches.map { batch in
                .object([("series", .string(batch.series)), ("file", .string(batch.fileName)), ("sequence", .int(batch.sequence)),
                         ("lines", .int(batch.info.lineCount)), ("sum_ore", .int(batch.info.sum.ore)),
                         ("state", .string(batch.state.rawValue))])
            })),
            ("sequence_gaps", .array(gaps.map { gap in
                .object([("kiosk_id", .string(gap.kioskID)), ("first_missing", .int(gap.missing.lowerBound)),
                         ("last_missing", .int(gap.missing.upperBound))])
            })),
        ])
    }

    /// A plain-text report for the finance office.
    public var text: String {
        func row(_ label: String, _ value: KioskPeriodFigures.Tally) -> String {
            "  " + label.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(value.count).leftPadded(7) + "  " + value.sum.danishText.leftPadded(18) + "\n"
        }
        var output = "Reconciliation for \(date) (payments by the day the kiosk took them, Copenhagen time)\n\n"
        for kiosk in kiosks + [totals] {
            output += kiosk.kioskID == "TOTAL" ? "All kiosks\n" : "\(kiosk.kioskID)\(kiosk.location.isEmpty ? "" : " – \(kiosk.location)")\n"
            output += row("received", kiosk.received) + row("rejected", kiosk.rejected) + row("voided", kiosk.voided)
                + row("exported", kiosk.exported) + row("pending", kiosk.pending)
            output += "  files     \(String(kiosk.files).leftPadded(7))  (\(kiosk.filesRejected) rejected)\n\n"
        }
        if !batches.isEmpty {
            output += "Export files written\n"
            for batch in batches {
                output += "  \(batch.fileName)  \(batch.info.lineCount) lines  \(batch.info.sum.danishText)  (\(batch.state.rawValue))\n"
            }
            output += "\n"
        }
        let rejectedFiles = files.filter { $0.verdict == .rejected }
        if !rejectedFiles.isEmpty {
            output += "Rejected files\n"
            for file in rejectedFiles { output += "  \(file.name): \(file.reason ?? "")\n" }
            output += "\n"
        }
        let singles = rejectedRecords.filter { !$0.wholeFile }
        if !singles.isEmpty {
            output += "Rejected records\n"
            for record in singles { output += "  \(record.fileName) \(record.reason)\n" }
            output += "\n"
        }
        if !gaps.isEmpty {
            output += "Missing kiosk files (sequence gaps)\n"
            for gap in gaps {
                output += "  \(gap.kioskID): \(gap.missing.count == 1 ? "\(gap.missing.lowerBound)" : "\(gap.missing.lowerBound)-\(gap.missing.upperBound)")\n"
            }
        }
        return output
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
