import Foundation
import KioskBridgeCore
import KioskBridgeStore

/// The reconciliation as JSON, plain text, CSV for the finance office, and a printable page.
extension Reconciliation {
    public var json: JSONValue {
        func tally(_ value: Tally) -> JSONValue { .object([("count", .int(value.count)), ("sum_ore", .int(value.sum.ore))]) }
        func tallies(_ values: [String: Tally]) -> JSONValue {
            .object(values.sorted { $0.key < $1.key }.map { ($0.key, tally($0.value)) })
        }
        func kiosk(_ day: KioskDay, detail: Bool) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("kiosk_id", .string(day.kioskID)), ("location", .string(day.location)),
                ("received", tally(day.received)), ("exported", tally(day.exported)), ("voided", tally(day.voided)),
                ("rejected", tally(day.rejected)), ("pending", tally(day.pending)),
                ("by_tender", tallies(day.byTender)), ("by_claim_type", tallies(day.byClaimType)), ("by_operator", tallies(day.byOperator)),
                ("surplus_ore", .int(day.surplus.ore)),
                ("debtor_exported", tally(day.debtorExported)), ("debtor_confirmed", tally(day.debtorConfirmed)),
                ("debtor_unconfirmed_count", .int(day.unconfirmedCount)),
                ("fbs", .object(FBSPartState.allCases.compactMap { state in day.fbsParts[state].map { (state.rawValue, tally($0)) } })),
                ("opening_ore", .int(day.opening.ore)), ("closing_ore", .int(day.closing.ore)),
                ("balanced", .bool(day.identityHolds)), ("settled", .bool(day.isSettled)),
                ("differences", .array(day.differences.map(JSONValue.string))),
            ]
            guard detail else { return .object(fields) }
            fields += [
                ("recorded_previous_closing_ore", day.recordedPreviousClosing.map { .int($0.ore) } ?? .null),
                ("first_receipt", day.firstReceipt.map(JSONValue.string) ?? .null),
                ("last_receipt", day.lastReceipt.map(JSONValue.string) ?? .null),
                ("receipt_gaps", .array(day.receiptGaps.map(JSONValue.string))),
                ("files", .array(day.files.map { file in
                    .object([("name", .string(file.name)), ("sequence", file.sequence.map(JSONValue.int) ?? .null),
                             ("verdict", .string(file.verdict.rawValue)), ("records", .int(file.records)),
                             ("sum_ore", file.trailerSum.map { .int($0.ore) } ?? .null), ("reason", file.reason.map(JSONValue.string) ?? .null)])
                })),
                ("sequence_gaps", .array(day.sequenceGaps.map { .object([("first_missing", .int($0.lowerBound)), ("last_missing", .int($0.upperBound))]) })),
                ("debtor_unconfirmed", .array(day.unconfirmed.map { export in
                    .object([("kind", .string(export.isReversal ? "REVERSAL" : "PAYMENT")), ("transaction_id", .string(export.transactionID)),
                             ("receipt", .string(export.receipt)), ("amount_ore", .int(export.amount.ore)),
                             ("exported_at", .string(Timestamp.format(export.exportedAt)))])
                })),
                ("till_close", day.tillClose.map { close in
                    .object([("counted_ore", .int(close.counted.ore)), ("registered_cash_ore", .int(close.registered.ore)),
                             ("difference_ore", .int(close.difference.ore)), ("staff", .string(close.staff)),
                             ("closed_at", .string(Timestamp.format(close.closedAt))), ("note", close.note.map(JSONValue.string) ?? .null)])
                } ?? .null),
                ("fbs_refunds", .array(day.fbsRefunds.map(Self.fbsPartJSON))),
                ("fbs_waiting", .array(day.fbsWaiting.map(Self.fbsPartJSON))),
                ("export_files", .array(day.exportedFiles.map { share in
                    .object([("series", .string(share.series)), ("file", .string(share.fileName)), ("lines", .int(share.lines)),
                             ("sum_ore", .int(share.sum.ore))])
                })),
            ]
            return .object(fields)
        }
        return .object([
            ("date", .string(date.description)),
            ("settled", .bool(isSettled)),
            ("kiosks", .array(kiosks.map { kiosk($0, detail: true) })),
            ("totals", kiosk(totals, detail: false)),
            ("files_without_kiosk", .array(filesWithoutKiosk.map { file in
                .object([("name", .string(file.name)), ("reason", file.reason.map(JSONValue.string) ?? .null)])
            })),
        ])
    }

    public var text: String {
        func row(_ label: String, _ value: Tally) -> String {
            // A long label (a claim type code, a staff name) is shown whole, not cut at the column.
            let name: String = label.count < 30 ? label.padding(toLength: 30, withPad: " ", startingAt: 0) : label + " "
            let count: String = String(value.count).leftPadded(7)
            let sum: String = value.sum.danishText.leftPadded(18)
            return "  \(name)\(count)  \(sum)\n"
        }
        var output = "Reconciliation for \(date) (payments by the day the kiosk took them, Copenhagen time): "
            + (isSettled ? "SETTLED" : "NOT SETTLED") + "\n\n"
        for day in kiosks {
            output += "\(day.kioskID)\(day.location.isEmpty ? "" : " – \(day.location)")\n"
            output += row("received", day.received) + row("exported", day.exported) + row("voided", day.voided)
                + row("rejected", day.rejected) + row("pending", day.pending)
            output += "  check       received \(day.received.sum.danishText) = exported + voided + rejected + pending: "
                + (day.identityHolds ? "holds" : "DOES NOT HOLD") + "\n"
            for (tender, tally) in day.byTender.sorted(by: { $0.key < $1.key }) { output += row("  tender " + tender, tally) }
            for (type, tally) in day.byClaimType.sorted(by: { $0.key < $1.key }) { output += row("  claim type " + type, tally) }
            for (taker, tally) in day.byOperator.sorted(by: { $0.key < $1.key }) { output += row("  taken by " + taker, tally) }
            if let close = day.tillClose {
                output += "  till close  counted \(close.counted.danishText), registered cash \(close.registered.danishText), "
                    + "difference \(close.difference.danishText); by \(close.staff) at \(Timestamp.format(close.closedAt))\n"
            }
            if day.surplus.isPositive { output += "  surplus     \(day.surplus.danishText) (unallocated, on payers' accounts)\n" }
            output += "  running     opening \(day.opening.danishText), closing \(day.closing.danishText)\n"
            if let first = day.firstReceipt, let last = day.lastReceipt { output += "  receipts    \(first) – \(last)\n" }
            if !day.receiptGaps.isEmpty { output += "  receipt numbers not seen: \(day.receiptGaps.joined(separator: ", "))\n" }
            for file in day.files {
                output += "  file        #\(file.sequence.map(String.init) ?? "?") \(file.name): \(file.verdict.rawValue)"
                    + (file.trailerSum.map { ", \(file.records) records, \($0.danishText)" } ?? "") + "\n"
            }
            for share in day.exportedFiles {
                output += "  export      \(share.fileName) (\(share.series)): \(share.lines) lines, \(share.sum.danishText)\n"
            }
            output += Self.confirmationText(day) + Self.fbsText(day)
            let differences = day.differences
            output += differences.isEmpty ? "  settled\n" : differences.map { "  DIFFERENCE  \($0)\n" }.joined()
            output += "\n"
        }
        let total = totals
        output += "All kiosks\n" + row("received", total.received) + row("exported", total.exported) + row("voided", total.voided)
            + row("rejected", total.rejected) + row("pending", total.pending)
        if total.surplus.isPositive { output += "  surplus     \(total.surplus.danishText)\n" }
        output += Self.confirmationText(total) + Self.fbsText(total)
        for file in filesWithoutKiosk { output += "  rejected file without a readable kiosk: \(file.name): \(file.reason ?? "")\n" }
        return output
    }

    static func fbsPartJSON(_ part: DayFBSPart) -> JSONValue {
        .object([("receipt", .string(part.receipt)), ("transaction_id", .string(part.transactionID)), ("fee_id", .string(part.feeID)),
                 ("amount_ore", .int(part.amount.ore)), ("reason", part.status.reason.map(JSONValue.string) ?? .null)])
    }

    /// The `fbs` mode's parts of a kiosk's day: the sums by state, each refund case (staff pay
    /// it back from the worklist) and each part still waiting for FBS. Nothing without any.
    static func fbsText(_ day: KioskDay) -> String {
        guard !day.fbsParts.isEmpty else { return "" }
        var text = "  FBS         " + FBSPartState.allCases.compactMap { state in
            day.fbsParts[state].map { "\(state.rawValue) \($0.sum.danishText) (\($0.count))" }
        }.joined(separator: ", ") + "\n"
        for part in day.fbsRefunds {
            text += "  FBS refund  \(part.receipt) (\(part.transactionID)) fee \(part.feeID) \(part.amount.danishText): "
                + "the fee was already paid in FBS; pay it back to the patron (on the worklist)\n"
        }
        for part in day.fbsWaiting {
            text += "  FBS waiting \(part.receipt) (\(part.transactionID)) fee \(part.feeID) \(part.amount.danishText): "
                + "not yet registered in FBS; tried again each cycle\n"
        }
        for (shown, state) in [(day.fbsRefunds.count, FBSPartState.refund), (day.fbsWaiting.count, .waiting)] {
            let all = day.fbsParts[state]?.count ?? 0
            if all > shown { text += "  FBS \(state.rawValue) … and \(all - shown) more\n" }
        }
        return text
    }

    /// The debtor's confirmations of a kiosk's day (nothing when nothing went to the debtor).
    static func confirmationText(_ day: KioskDay) -> String {
        guard day.debtorExported.count > 0 else { return "" }
        var text = "  debtor      sent \(day.debtorExported.sum.danishText) (\(day.debtorExported.count)), "
            + "confirmed by the debtor system \(day.debtorConfirmed.sum.danishText) (\(day.debtorConfirmed.count))"
            + (day.unconfirmedCount == 0 ? ": all confirmed\n" : ", \(day.unconfirmedCount) not yet confirmed\n")
        for export in day.unconfirmed {
            text += "  unconfirmed \(export.isReversal ? "reversal " : "")\(export.receipt) (\(export.transactionID)) "
                + "\(export.amount.danishText), exported \(Timestamp.format(export.exportedAt))\n"
        }
        // The totals count what each kiosk lists, and list nothing themselves.
        if day.unconfirmedCount > day.unconfirmed.count && day.kioskID != "TOTAL" {
            text += "  unconfirmed … and \(day.unconfirmedCount - day.unconfirmed.count) more\n"
        }
        return text
    }

    /// One row per kiosk, `;`-separated, kroner with a decimal comma (for a Danish spreadsheet).
    public var csv: String {
        var lines = ["date;kiosk_id;location;received_count;received_kr;exported_count;exported_kr;voided_count;voided_kr;rejected_count;rejected_kr;pending_count;pending_kr;surplus_kr;opening_kr;closing_kr;settled;differences;debtor_sent_kr;debtor_confirmed_kr;debtor_unconfirmed_count;fbs_registered_kr;fbs_waiting_kr;fbs_worklist_kr;fbs_refund_kr"]
        func quote(_ text: String) -> String {
            text.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        for day in kiosks + [totals] {
            let fields: [String] = [
                date.description, day.kioskID, day.location,
                String(day.received.count), day.received.sum.description, String(day.exported.count), day.exported.sum.description,
                String(day.voided.count), day.voided.sum.description, String(day.rejected.count), day.rejected.sum.description,
                String(day.pending.count), day.pending.sum.description, day.surplus.description, day.opening.description,
                day.closing.description, day.kioskID == "TOTAL" ? (isSettled ? "yes" : "no") : (day.isSettled ? "yes" : "no"),
                day.differences.joined(separator: " | "),
                day.debtorExported.sum.description, day.debtorConfirmed.sum.description, String(day.unconfirmedCount),
            ] + [FBSPartState.registered, .waiting, .worklist, .refund].map { (day.fbsParts[$0]?.sum ?? .zero).description }
            lines.append(fields.map(quote).joined(separator: ";"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A self-contained page that prints on A4.
    public var html: String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func row(_ label: String, _ value: Tally) -> String {
            "<tr><th>\(escape(label))</th><td>\(value.count)</td><td>\(escape(value.sum.danishText))</td></tr>"
        }
        var body = "<h1>Afstemning \(date)</h1><p class=\"state\">\(isSettled ? "Dagen er afstemt." : "Dagen er ikke afstemt – se forskellene nedenfor.")</p>"
        for day in kiosks + [totals] {
            body += "<section><h2>\(escape(day.kioskID == "TOTAL" ? "Alle kiosker" : day.kioskID + (day.location.isEmpty ? "" : " – " + day.location)))</h2>"
            body += "<table><thead><tr><th></th><th>Antal</th><th>Beløb</th></tr></thead><tbody>"
            body += row("Modtaget", day.received) + row("Eksporteret", day.exported) + row("Annulleret", day.voided)
                + row("Afvist", day.rejected) + row("Afventer", day.pending)
                + row("Sendt til debitorsystemet", day.debtorExported) + row("Bekræftet af debitorsystemet", day.debtorConfirmed)
            for (state, label) in [(FBSPartState.registered, "Registreret i FBS"), (.waiting, "Venter på FBS"),
                                   (.worklist, "På FBS-arbejdslisten"), (.refund, "Tilbagebetales (gebyret var betalt i FBS)")] {
                if let tally = day.fbsParts[state] { body += row(label, tally) }
            }
            body += "</tbody></table>"
            if day.kioskID != "TOTAL" {
                body += "<p>Primo \(escape(day.opening.danishText)), ultimo \(escape(day.closing.danishText)).</p>"
                let differences = day.differences
                if !differences.isEmpty {
                    body += "<ul class=\"differences\">" + differences.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
                }
            }
            body += "</section>"
        }
        return """
            <!DOCTYPE html>
            <html lang="da"><head><meta charset="utf-8"><title>Afstemning \(date)</title>
            <style>
            body { font-family: sans-serif; margin: 2em; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            th, td { border-bottom: 1px solid #ccc; padding: 0.2em 0.8em; text-align: right; }
            th:first-child { text-align: left; }
            section { page-break-inside: avoid; margin-bottom: 1.5em; }
            .differences li { color: #a00; }
            @media print { body { margin: 1cm; } }
            </style></head><body>\(body)</body></html>

            """
    }
}
