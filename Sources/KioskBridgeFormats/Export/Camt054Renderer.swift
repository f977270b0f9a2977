public import KioskBridgeCore

/// The `camt054` export profile: an ISO 20022 BankToCustomerDebitCreditNotification.
///
/// One notification per file. `GrpHdr/MsgId` is the batch id and `Ntfctn/Id` the profile
/// and sequence; `TxsSummry` states the number and sum of entries, so the debtor can
/// refuse an incomplete file. Each payment is one credit entry (`Ntry`, `CRDT`, `BOOK`)
/// and each reversal one debit entry (`DBIT`, `RvslInd`), with one transaction detail
/// (`TxDtls`) per allocated part: the transaction id in `Refs/EndToEndId`, the claim id
/// in `RmtInf/Strd/CdtrRefInf/Ref` (the debtor's claim type as its type; a surplus part
/// has no reference and says `SURPLUS`), the payer's CPR or CVR number in the debtor
/// party's identification, and the receipt and kiosk in `AddtlTxInf`. Amounts are never
/// negative in camt.054: the direction says which way the money went.
///
/// Every document is validated against an XML Schema before it is released
/// (`check(renderedFile:)`): the profile's `schema`, or the bridge's own schema for
/// exactly this subset.
public struct Camt054Renderer: ExportRendering {
    public let version: Camt054Version
    /// The account the notification is about (`Ntfctn/Acct/Id/Othr/Id`, at most 34 characters).
    public let account: String
    public let schema: XMLSchema

    public init(version: Camt054Version, account: String, schema: XMLSchema) {
        self.version = version
        self.account = account
        self.schema = schema
    }

    public var fileExtension: String { "xml" }
    public var needsEntryTotals: Bool { true }

    public func makeWriter(batch: ExportBatchInfo, sink: any ExportSink) throws -> any ExportDocumentWriter {
        guard let totals = batch.entryTotals else {
            throw ExportDocumentError("camt.054 states its entry totals before the first entry, but they were not counted for \(batch.batchID)")
        }
        let writer = Writer(version: version, batch: batch, sink: sink)
        try writer.start(account: account, totals: totals)
        return writer
    }

    public func check(renderedFile path: String) throws {
        let problems = schema.validate(file: path)
        if let first = problems.first {
            throw ExportDocumentError("the \(version.rawValue) document does not validate against \(schema.name): \(first)"
                                      + (problems.count > 1 ? " (and \(problems.count - 1) more)" : ""))
        }
    }

    final class Writer: ExportDocumentWriter {
        let version: Camt054Version
        let batch: ExportBatchInfo
        let sink: any ExportSink
        var xml = XMLStreamWriter()
        var grouping = ExportEntry.Grouping()

        init(version: Camt054Version, batch: ExportBatchInfo, sink: any ExportSink) {
            self.version = version
            self.batch = batch
            self.sink = sink
        }

        func start(account: String, totals: ExportEntryTotals) throws {
            let created = Timestamp.format(batch.createdAt)
            try describing {
                xml.declaration()
                try xml.start("Document", attributes: [("xmlns", version.namespace)])
                try xml.start("BkToCstmrDbtCdtNtfctn")
                try xml.start("GrpHdr")
                try xml.element("MsgId", batch.batchID)
                try xml.element("CreDtTm", created)
                xml.end()
                try xml.start("Ntfctn")
                try xml.element("Id", "\(batch.profile)-\(LocalDate.pad(batch.sequence, 6))")
                try xml.element("CreDtTm", created)
                try xml.start("Acct")
                try xml.start("Id")
                try xml.start("Othr")
                try xml.element("Id", account)
                xml.end()
                xml.end()
                xml.end()
                try summary(totals)
            }
        }

        private func summary(_ totals: ExportEntryTotals) throws {
            try xml.start("TxsSummry")
            try xml.start("TtlNtries")
            try xml.element("NbOfNtries", String(totals.count))
            try xml.element("Sum", Self.decimal(totals.sum))
            let netDirection = totals.net.ore < 0 ? ExportEntry.Direction.debit : .credit
            let net = Self.decimal(totals.net.magnitude)
            switch version {
            case .v02:
                try xml.element("TtlNetNtryAmt", net)
                try xml.element("CdtDbtInd", netDirection.rawValue)
            case .v08:
                try xml.start("TtlNetNtry")
                try xml.element("Amt", net)
                try xml.element("CdtDbtInd", netDirection.rawValue)
                xml.end()
            }
            xml.end()
            try xml.start("TtlCdtNtries")
            try xml.element("NbOfNtries", String(totals.credits))
            try xml.element("Sum", Self.decimal(totals.creditSum))
            xml.end()
            try xml.start("TtlDbtNtries")
            try xml.element("NbOfNtries", String(totals.debits))
            try xml.element("Sum", Self.decimal(totals.debitSum))
            xml.end()
            xml.end()
        }

        func add(_ line: ExportLine) throws {
            if let entry = grouping.add(line) { try write(entry) }
        }

        func finish() throws {
            if let entry = grouping.finish() { try write(entry) }
            xml.end() // Ntfctn
            xml.end() // BkToCstmrDbtCdtNtfctn
            xml.end() // Document
            try sink.write(xml.take())
        }

        private func write(_ entry: ExportEntry) throws {
            try describing {
                try xml.start("Ntry")
                try xml.element("NtryRef", entry.transactionID)
                try xml.element("Amt", Self.decimal(entry.magnitude), attributes: [("Ccy", "DKK")])
                try xml.element("CdtDbtInd", entry.direction.rawValue)
                if entry.direction == .debit { try xml.element("RvslInd", "true") }
                switch version {
                case .v02:
                    try xml.element("Sts", "BOOK")
                case .v08:
                    try xml.start("Sts")
                    try xml.element("Cd", "BOOK")
                    xml.end()
                }
                try xml.start("BookgDt")
                try xml.element("DtTm", Timestamp.format(batch.createdAt))
                xml.end()
                if entry.direction == .credit {
                    try xml.start("ValDt")
                    try xml.element("DtTm", Timestamp.format(entry.parts[0].paidAt))
                    xml.end()
                }
                try xml.start("BkTxCd")
                try xml.start("Prtry")
                try xml.element("Cd", entry.direction == .credit ? "PAYMENT" : "REVERSAL")
                try xml.element("Issr", "kioskbridge")
                xml.end()
                xml.end()
                try xml.start("NtryDtls")
                for part in entry.parts { try transactionDetails(part, direction: entry.direction) }
                xml.end()
                xml.end()
            }
            if xml.buffer.count >= 1 << 16 { try sink.write(xml.take()) }
        }

        private func transactionDetails(_ part: ExportLine, direction: ExportEntry.Direction) throws {
            try xml.start("TxDtls")
            try xml.start("Refs")
            try xml.element("EndToEndId", part.transactionID)
            xml.end()
            let amount = Self.decimal(part.amount.magnitude)
            switch version {
            case .v02:
                try xml.start("AmtDtls")
                try xml.start("TxAmt")
                try xml.element("Amt", amount, attributes: [("Ccy", "DKK")])
                xml.end()
                xml.end()
            case .v08:
                try xml.element("Amt", amount, attributes: [("Ccy", "DKK")])
                try xml.element("CdtDbtInd", direction.rawValue)
            }
            try xml.start("RltdPties")
            try xml.start("Dbtr")
            if version == .v08 { try xml.start("Pty") }
            try xml.start("Id")
            try xml.start(part.payerIsCompany ? "OrgId" : "PrvtId")
            try xml.start("Othr")
            try xml.element("Id", part.payerDigits)
            try xml.start("SchmeNm")
            try xml.element("Prtry", part.payerIsCompany ? "CVR" : "CPR")
            xml.end()
            xml.end()
            xml.end()
            xml.end()
            if version == .v08 { xml.end() }
            xml.end()
            xml.end()
            try xml.start("RmtInf")
            if part.claimID == nil { try xml.element("Ustrd", "SURPLUS") }
            try xml.start("Strd")
            try xml.start("CdtrRefInf")
            try xml.start("Tp")
            try xml.start("CdOrPrtry")
            try xml.element("Prtry", part.debtorClaimType)
            xml.end()
            xml.end()
            if let claim = part.claimID { try xml.element("Ref", claim) }
            xml.end()
            xml.end()
            xml.end()
            try xml.element("AddtlTxInf", "receipt \(part.receipt), kiosk \(part.kioskID)")
            xml.end()
        }

        /// Runs a step of the document, turning a character XML cannot carry into an
        /// error about the document.
        private func describing(_ body: () throws -> Void) throws {
            do {
                try body()
            } catch let error as XMLStreamWriter.UnrepresentableCharacter {
                throw ExportDocumentError("\(batch.batchID): \(error)")
            }
        }

        /// `40.00`: ISO 20022 amounts use a decimal point.
        static func decimal(_ amount: Amount) -> String {
            amount.formatted(decimalSeparator: ".")
        }
    }
}
