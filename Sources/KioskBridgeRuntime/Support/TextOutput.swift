import KioskBridgeCore
import KioskBridgeStore

/// The human-readable output of the commands (without `--json`).
extension CycleSummary {
    public var text: String {
        var lines: [String] = ["Cycle at \(Timestamp.format(at))"]
        let ingest = self.ingest
        lines.append("  files: \(ingest.filesAccepted) accepted, \(ingest.filesRejected) rejected, \(ingest.filesDuplicate) duplicate"
            + (ingest.waiting.isEmpty ? "" : ", \(ingest.waiting.count) still being written"))
        for file in ingest.files {
            var line = "    \(file.name): \(file.verdict.rawValue)"
            if file.verdict == .accepted {
                line += " (\(file.tally.paymentsBooked) payments booked"
                if file.tally.voidsBooked > 0 { line += ", \(file.tally.voidsBooked) void\(file.tally.voidsBooked == 1 ? "" : "s")" }
                if file.tally.recordsRejected > 0 { line += ", \(file.tally.recordsRejected) records rejected" }
                if file.tally.recordsDuplicate > 0 { line += ", \(file.tally.recordsDuplicate) already booked" }
                line += ")"
            } else if let reason = file.reason {
                line += ": \(reason)"
            }
            lines.append(line)
            for problem in file.recordProblems { lines.append("      rejected record: \(problem)") }
            if file.recordProblemsOmitted > 0 { lines.append("      rejected record: \(RejectionNotes.omittedLine(file.recordProblemsOmitted))") }
        }
        lines.append("  payments: \(paymentsAllocated) allocated, \(paymentsExported) exported, \(reversalsExported) reversals exported, \(surplusPayments) with a surplus")
        lines.append("  export files: " + (exportFiles.isEmpty ? "none" : exportFiles.joined(separator: ", ")))
        if !worklistFiles.isEmpty { lines.append("  FBS worklist files: " + worklistFiles.joined(separator: ", ")) }
        for warning in warnings { lines.append("  warning: \(warning)") }
        for error in errors { lines.append("  ERROR: \(error)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ClaimsImportResult {
    public var text: String {
        var text = "Loaded \(snapshot.fileName): \(snapshot.source.rawValue) snapshot as of \(Timestamp.format(snapshot.asOf)), "
            + "\(snapshot.claims) claims (\(payableInFBS) payable only in FBS), outstanding \(snapshot.outstanding.danishText), "
            + "\(snapshot.appliedRecords) applied payments"
        if let replaced { text += "; replaces the snapshot as of \(Timestamp.format(replaced.asOf))" }
        if confirmed.payments + confirmed.reversals > 0 {
            text += "; confirms \(confirmed.payments) exported payment(s) and \(confirmed.reversals) reversal(s), \(confirmed.sum.danishText)"
        }
        return text + "\n"
    }
}

extension ReceiptMatch {
    /// The story of one payment, for a terminal.
    public var text: String {
        PersonalDataRedaction.redactCPRs(in: plainText)
    }

    private var plainText: String {
        var lines: [String] = []
        let title = [receipt.map { "Receipt \($0)" }, transactionID.map { "transaction \($0)" }].compactMap { $0 }.joined(separator: ", ")
        lines.append(title.isEmpty ? "Record" : title)
        lines.append("  status:    \(status.rawValue)" + (reason.map { " – \($0)" } ?? ""))
        if let kioskID { lines.append("  kiosk:     \(kioskID)" + (location.map { $0.isEmpty ? "" : " (\($0))" } ?? "")) }
        if let paidAt { lines.append("  paid at:   \(Timestamp.format(paidAt))") } else if let paidAtText { lines.append("  paid at:   \(paidAtText)") }
        if let amount { lines.append("  amount:    \(amount.danishText)" + (tender.map { " \($0)" } ?? "")) }
        if let payer { lines.append("  payer:     \(payer)") }
        if let claimType { lines.append("  claim type: \(claimType)") }
        if let sourceFile { lines.append("  file:      \(sourceFile)" + (line.map { " line \($0)" } ?? "")) }
        for stored in allocations {
            let part = stored.part
            let target = part.claimID.map { "claim \($0)" } ?? "surplus (credit on the payer's account)"
            lines.append("  \(part.kind.rawValue.lowercased()):   \(part.amount.danishText) → \(target)\(Self.fbsNote(stored, channel: part.channel))")
        }
        if let export { lines.append("  exported:  \(export.file) (sequence \(export.sequence)) at \(Timestamp.format(export.at))") }
        if let worklist { lines.append("  worklist:  \(worklist.file) at \(Timestamp.format(worklist.at))") }
        if let confirmation = debtorConfirmation { lines.append("  confirmed: \(Self.confirmedText(confirmation))") }
        if let reversalExport { lines.append("  reversal:  \(reversalExport.file) at \(Timestamp.format(reversalExport.at))") }
        if let confirmation = reversalConfirmation { lines.append("  reversal confirmed: \(Self.confirmedText(confirmation))") }
        if let expectedInFBS { lines.append("  expected in FBS: after \(Timestamp.format(expectedInFBS))") }
        for entry in trail where entry.event.hasPrefix("fbs-") {
            lines.append("  FBS:       \(Timestamp.format(entry.at)) \(PersonalDataRedaction.redactCPRs(in: entry.cause))")
        }
        for claim in fbsOnlyClaims {
            lines.append("  may still block: claim \(claim.id) (\(claim.claimType), created \(claim.createdOn)), \(claim.outstanding.danishText), payable only in FBS")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension ReceiptMatch {
    /// The words the desk uses too, with the snapshot that said so.
    /// Where a part on an old fee stands: on the worklist, or (in the `fbs` mode) its FBS state.
    static func fbsNote(_ stored: StoredPart, channel: PaymentChannel) -> String {
        guard channel == .fbs else { return "" }
        guard let fbs = stored.fbs else { return " [FBS worklist]" }
        switch fbs.state {
        case .registered: return " [registered in FBS, confirmation \(fbs.confirmationID ?? "-")]"
        case .waiting: return " [waits to be registered in FBS]"
        case .refund: return " [refund case: \(fbs.reason ?? "paid twice")]"
        case .worklist: return " [FBS worklist: \(fbs.reason ?? "staff register it")]"
        case .cancelled: return " [cancelled before it was sent to FBS]"
        case .released: return " [FBS would not take it; allocated again: \(fbs.reason ?? "")]"
        }
    }

    static func confirmedText(_ confirmation: DebtorConfirmation) -> String {
        "Bekræftet af debitorsystemet (confirmed by the debtor system) as of \(Timestamp.format(confirmation.asOf)), "
            + "snapshot \(confirmation.snapshotFile) loaded \(Timestamp.format(confirmation.loadedAt))"
    }
}

extension String {
    /// Right-aligned in a column of `width` characters.
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
