import Foundation
public import KioskBridgeCore
public import KioskBridgeStore

/// `receipt QUERY`: finds payments and refused records by receipt number, transaction id
/// or payer (CPR/CVR, with or without hyphen), and tells each one's story.
public struct ReceiptLookup: Sendable {
    let store: any BridgeStore
    let configuration: BridgeConfiguration

    public init(store: any BridgeStore, configuration: BridgeConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// Whether the query names a payer (and so is personal data, for the access log).
    public static func payer(in query: String) -> Payer? {
        try? Payer(parsing: query.trimmingCharacters(in: .whitespaces))
    }

    /// The query as it may be shown back: a CPR-like number masked.
    public static func shown(_ query: String) -> String {
        if let key = PersonalDataRedaction.payerKey(query) {
            return key.count == 10 ? String(key.prefix(6)) + "-****" : key
        }
        return PersonalDataRedaction.redactCPRs(in: query)
    }

    public func find(_ rawQuery: String) async throws -> [ReceiptMatch] {
        let query = rawQuery.trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { return [] }
        let payerDigits = PersonalDataRedaction.payerKey(query)
        return try await store.lookup { reader in
            var matches: [ReceiptMatch] = []
            for payment in try await reader.payments(receiptOrTransaction: query, payerDigits: payerDigits) {
                matches.append(try await story(of: payment, reader))
            }
            for record in try await reader.rejectedRecords(receiptOrTransaction: query, payerDigits: payerDigits) {
                matches.append(try await story(of: record, reader))
            }
            return matches.sorted { a, b in
                let x = a.paidAt ?? a.fileReceivedAt ?? Instant(millisecondsSinceEpoch: 0)
                let y = b.paidAt ?? b.fileReceivedAt ?? Instant(millisecondsSinceEpoch: 0)
                if x != y { return x < y }
                return (a.status == .rejected ? 0 : 1) < (b.status == .rejected ? 0 : 1)
            }
        }
    }

    private func reference(_ batch: StoredBatch) -> ReceiptMatch.ExportReference {
        let profile = configuration.allSeries.first { $0.name == batch.series }
        let kind = batch.series == "fbs-worklist" ? "fbs-worklist" : (profile?.kind.rawValue ?? batch.series)
        return .init(profile: kind, series: batch.series, file: batch.fileName, sequence: batch.sequence,
                     at: batch.publishedAt ?? batch.info.createdAt)
    }

    private func story(of payment: PaymentView, _ reader: any LookupSession) async throws -> ReceiptMatch {
        let payer = Payer(storedDigits: payment.payerDigits)
        var match = ReceiptMatch(
            transactionID: payment.transactionID, kioskID: payment.kioskID, location: payment.location, receipt: payment.receipt,
            paidAt: payment.paidAt,
            payer: payer?.description ?? (payment.payerDigits.hasPrefix("P:") ? "(pseudonymised)" : PersonalDataRedaction.safeEcho(payment.payerDigits)),
            payerDigits: payment.payerDigits, payerIsPerson: !payment.payerIsCompany, claimType: payment.claimType,
            amount: payment.amount, tender: payment.tender, operatorID: payment.operatorID, status: .received,
            sourceFile: payment.fileName, line: payment.line, fileReceivedAt: payment.fileReceivedAt, bookedAt: payment.bookedAt)
        match.rowID = payment.rowID
        match.allocations = try await reader.parts(ofPayment: payment.rowID)
        for stored in match.allocations where !stored.isReversal {
            // One file per channel is shown: a channel that has its file needs no more asking.
            if (stored.part.channel == .debtor ? match.export : match.worklist) != nil { continue }
            guard let batch = try await reader.firstBatch(carrying: stored), batch.state == .published else { continue }
            switch stored.part.channel {
            case .debtor: match.export = reference(batch)
            case .fbs: match.worklist = reference(batch)
            }
        }
        if let reversal = match.allocations.first(where: \.isReversal),
           let batch = try await reader.firstBatch(carrying: reversal), batch.state == .published {
            match.reversalExport = reference(batch)
        }
        if match.export != nil || match.worklist != nil || match.allocations.contains(where: { $0.fbs?.state == .registered }) {
            match.status = .exported
        }
        if match.export != nil || match.reversalExport != nil {
            let confirmations = try await reader.confirmations(ofPayment: payment.rowID)
            match.debtorConfirmation = confirmations.payment
            match.reversalConfirmation = confirmations.reversal
        }
        if let debtorExport = match.export {
            match.expectedInFBS = configuration.debtorSchedule.firstRun(after: debtorExport.at)
        }
        if let void = payment.voided {
            match.status = .voided
            match.void = void
            var reason = "voided by \(void.voidID) at \(Timestamp.format(void.voidedAt))"
            if let text = void.reason { reason += ": \(text)" }
            switch void.effect {
            case .cancel: reason += "; it was not exported, so neither it nor the void goes to the debtor"
            case .reversal:
                if let reversal = match.reversalExport {
                    reason += "; it had been exported, and the reversal went out in \(reversal.file)"
                } else {
                    reason += "; it had been exported, and a reversal goes out in the next export"
                }
            }
            match.reason = reason
            match.expectedInFBS = nil
        }
        // A fee this payment just registered in FBS no longer blocks, whatever the last snapshot said.
        let registered = Set(match.allocations.filter { $0.fbs?.state == .registered }.compactMap(\.part.claimID))
        match.fbsOnlyClaims = try await reader.openClaims(payerDigits: payment.payerDigits, payableIn: .fbs).filter { !registered.contains($0.id) }
        match.trail = try await reader.trail(subject: "payment", id: payment.rowID)
        return match
    }

    private func story(of record: RejectedRecordView, _ reader: any LookupSession) async throws -> ReceiptMatch {
        let summary = record.summary
        let payer = summary.payerText.flatMap { try? Payer(parsing: $0) }
        var paidAt: Instant?
        if let text = summary.paidAtText, case .success(let instant) = Timestamp.parse(text) { paidAt = instant }
        // Refused fields are shown as written, except that nothing in them shows a whole CPR number.
        let clean: (String?) -> String? = { $0.map(PersonalDataRedaction.redactCPRs(in:)) }
        var match = ReceiptMatch(
            transactionID: clean(summary.transactionID), kioskID: record.kioskID, receipt: clean(summary.receipt), paidAt: paidAt,
            paidAtText: clean(summary.paidAtText),
            payer: payer?.description ?? summary.payerText.map(PersonalDataRedaction.safeEcho),
            payerDigits: payer?.digits, payerIsPerson: payer.map { if case .person = $0 { true } else { false } } ?? true,
            claimType: clean(summary.claimType), amount: summary.amount, tender: clean(summary.tender), status: .rejected,
            reason: record.reason, reasonCode: record.reasonCode, sourceFile: record.fileName, line: record.line,
            fileReceivedAt: record.rejectedAt)
        match.subject = "record"
        match.rowID = record.rowID
        if let digits = payer?.digits {
            match.fbsOnlyClaims = try await reader.openClaims(payerDigits: digits, payableIn: .fbs)
        }
        match.trail = try await reader.trail(subject: "record", id: record.rowID)
        return match
    }
}

extension ReceiptMatch {
    /// The parts, each on an old fee in the `fbs` mode with its FBS state (cli.md `fbs_status`).
    var allocationsJSON: JSONValue {
        .array(allocations.map { stored in
            var fields: [(String, JSONValue)] = [
                ("kind", .string(stored.part.kind.rawValue)), ("claim_id", stored.part.claimID.map { JSONValue.string(PersonalDataRedaction.redactCPRs(in: $0)) } ?? .null),
                ("amount_ore", .int(stored.part.amount.ore)), ("channel", .string(stored.part.channel.rawValue))]
            if let fbs = stored.fbs {
                fields.append(("fbs_status", .string(fbs.state.rawValue)))
                fields.append(("fbs_confirmation_id", fbs.confirmationID.map(JSONValue.string) ?? .null))
                fields.append(("fbs_reason", fbs.reason.map { JSONValue.string(PersonalDataRedaction.redactCPRs(in: $0)) } ?? .null))
            }
            return JSONValue.object(fields)
        })
    }

    /// The payment's trail rows, oldest first; nothing in them shows a whole CPR number.
    var trailJSON: JSONValue {
        .array(trail.map { entry in
            JSONValue.object([("at", .string(Timestamp.format(entry.at))), ("event", .string(entry.event)),
                              ("cause", .string(PersonalDataRedaction.redactCPRs(in: entry.cause)))])
        })
    }

    /// The JSON of cli.md (`receipt --json`), with extra keys.
    public var json: JSONValue {
        func reference(_ value: ExportReference?) -> JSONValue {
            guard let value else { return .null }
            return .object([("profile", .string(value.profile)), ("series", .string(value.series)), ("file", .string(value.file)),
                            ("sequence", .int(value.sequence)), ("at", .string(Timestamp.format(value.at)))])
        }
        // Free text from the kiosk is shown as written, but never with a whole CPR number in it.
        func optional(_ text: String?) -> JSONValue { text.map { .string(PersonalDataRedaction.redactCPRs(in: $0)) } ?? .null }
        return .object([
            ("transaction_id", optional(transactionID)),
            ("kiosk_id", optional(kioskID)),
            ("location", optional(location)),
            ("receipt", optional(receipt)),
            ("paid_at", paidAt.map { .string(Timestamp.format($0)) } ?? optional(paidAtText)),
            ("payer", optional(payer)),
            ("claim_type", optional(claimType)),
            ("amount_ore", amount.map { .int($0.ore) } ?? .null),
            ("tender", optional(tender)),
            ("status", .string(status.rawValue)),
            ("reason", optional(reason)),
            ("source_file", optional(sourceFile)),
            ("line", line.map(JSONValue.int) ?? .null),
            ("allocations", allocationsJSON),
            ("export", reference(export)),
            ("worklist", reference(worklist)),
            ("reversal_export", reference(reversalExport)),
            ("expected_in_fbs", expectedInFBS.map { .string(Timestamp.format($0)) } ?? .null),
            ("debtor_confirmed_at", debtorConfirmation.map { .string(Timestamp.format($0.asOf)) } ?? .null),
            ("debtor_confirmed_by", debtorConfirmation.map { .string($0.snapshotFile) } ?? .null),
            ("reversal_debtor_confirmed_at", reversalConfirmation.map { .string(Timestamp.format($0.asOf)) } ?? .null),
            ("fbs_only_claims", .array(fbsOnlyClaims.map { claim in
                .object([("claim_id", .string(claim.id)), ("claim_type", .string(claim.claimType)),
                         ("created_on", .string(claim.createdOn.description)), ("outstanding_ore", .int(claim.outstanding.ore))])
            })),
            ("trail", trailJSON),
        ])
    }
}
