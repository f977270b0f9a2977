/// A field of a kiosk or snapshot record, named the way both file formats can point at it.
///
/// Every refusal names the field it is about: in a CSV file by its position and name
/// (`field 4 (payer)`), in an XML file by its attribute (`attribute payer`).
public struct RecordField: Hashable, Sendable {
    /// The field's name in plain words.
    public let name: String
    /// 1-based position in a CSV record (the record type is field 1).
    public let position: Int
    /// The attribute name in the XML format, if it has one.
    public let xmlName: String?

    public init(_ name: String, position: Int, xml: String?) {
        self.name = name
        self.position = position
        self.xmlName = xml
    }
}

extension RecordField {
    public enum Header {
        public static let recordType = RecordField("record type", position: 1, xml: nil)
        public static let formatVersion = RecordField("format version", position: 2, xml: "version")
        public static let kioskID = RecordField("kiosk id", position: 3, xml: "kioskId")
        public static let location = RecordField("location name", position: 4, xml: "location")
        public static let sequence = RecordField("file sequence number", position: 5, xml: "sequence")
        public static let createdAt = RecordField("created at", position: 6, xml: "createdAt")
        public static let count = 6
        public static let all = [recordType, formatVersion, kioskID, location, sequence, createdAt]
    }

    public enum Payment {
        public static let transactionID = RecordField("transaction id", position: 2, xml: "id")
        public static let paidAt = RecordField("paid at", position: 3, xml: "paidAt")
        public static let payer = RecordField("payer", position: 4, xml: "payer")
        public static let claimType = RecordField("claim type code", position: 5, xml: "claimType")
        public static let amount = RecordField("amount", position: 6, xml: "amount")
        public static let tender = RecordField("tender", position: 7, xml: "tender")
        public static let receipt = RecordField("receipt number", position: 8, xml: "receipt")
        public static let operatorID = RecordField("operator id", position: 9, xml: "operator")
        public static let count = 9
        public static let all = [Header.recordType, transactionID, paidAt, payer, claimType, amount, tender, receipt, operatorID]
    }

    public enum Void {
        public static let voidID = RecordField("transaction id of the void", position: 2, xml: "id")
        public static let voidedAt = RecordField("voided at", position: 3, xml: "voidedAt")
        public static let voids = RecordField("transaction id of the voided payment", position: 4, xml: "voids")
        public static let amount = RecordField("amount", position: 5, xml: "amount")
        public static let reason = RecordField("reason", position: 6, xml: "reason")
        public static let count = 6
        public static let all = [Header.recordType, voidID, voidedAt, voids, amount, reason]
    }

    public enum Trailer {
        public static let count = RecordField("number of D and V records", position: 2, xml: "count")
        public static let sum = RecordField("sum of D amounts minus V amounts", position: 3, xml: "total")
        public static let fieldCount = 3
        public static let all = [Header.recordType, count, sum]
    }

    /// The field at a 1-based position of a kiosk file record of type `recordType`.
    public static func kioskFile(recordType: String, position: Int) -> RecordField {
        let fields: [RecordField]
        switch recordType {
        case "H": fields = Header.all
        case "D": fields = Payment.all
        case "V": fields = Void.all
        case "T": fields = Trailer.all
        default: fields = [Header.recordType]
        }
        return position <= fields.count ? fields[position - 1] : RecordField("a field beyond the record's last", position: position, xml: nil)
    }
}

extension RecordField {
    /// Fields of the claims snapshot (claims-snapshot.md).
    public enum Snapshot {
        public static let formatVersion = RecordField("format version", position: 2, xml: nil)
        public static let source = RecordField("source", position: 3, xml: nil)
        public static let asOf = RecordField("as of", position: 4, xml: nil)
        public static let claimID = RecordField("claim id", position: 2, xml: nil)
        public static let payer = RecordField("payer", position: 3, xml: nil)
        public static let claimType = RecordField("claim type code", position: 4, xml: nil)
        public static let createdOn = RecordField("created on", position: 5, xml: nil)
        public static let dueOn = RecordField("due on", position: 6, xml: nil)
        public static let originalAmount = RecordField("original amount", position: 7, xml: nil)
        public static let outstanding = RecordField("outstanding amount", position: 8, xml: nil)
        public static let payableIn = RecordField("payable in", position: 9, xml: nil)
        public static let appliedKiosk = RecordField("kiosk id", position: 2, xml: nil)
        public static let appliedTransaction = RecordField("transaction id", position: 3, xml: nil)
        public static let trailerCount = RecordField("number of C records", position: 2, xml: nil)
        public static let trailerSum = RecordField("sum of outstanding amounts", position: 3, xml: nil)

        /// The field at a 1-based position of a snapshot record of type `recordType`.
        public static func field(recordType: String, position: Int) -> RecordField {
            let fields: [RecordField]
            switch recordType {
            case "H": fields = [Header.recordType, formatVersion, source, asOf]
            case "C": fields = [Header.recordType, claimID, payer, claimType, createdOn, dueOn, originalAmount, outstanding, payableIn]
            case "P": fields = [Header.recordType, appliedKiosk, appliedTransaction]
            case "T": fields = [Header.recordType, trailerCount, trailerSum]
            default: fields = [Header.recordType]
            }
            return position <= fields.count ? fields[position - 1] : RecordField("a field beyond the record's last", position: position, xml: nil)
        }
    }
}
