/// The array of fees from `fees/v2`. One fee the bridge cannot read makes the whole answer
/// unusable: allocating over part of a patron's fees could pay a newer one before an older.
enum FeesAnswer {
    static func fees(from bytes: [UInt8]) throws(FBSError) -> [FBSFee] {
        let context = AnswerContext(operation: .listFees)
        var fees: [FBSFee] = []
        var seen = Set<Int64>()
        for field in try context.json(bytes).array() {
            let fee = try self.fee(field.object())
            guard seen.insert(fee.id).inserted else {
                throw try field.object().required("feeId").refuse(expected: "each feeId once")
            }
            fees.append(fee)
        }
        return fees
    }

    static func fee(_ object: AnswerObject) throws(FBSError) -> FBSFee {
        FBSFee(
            id: try object.required("feeId").positiveID(),
            amount: try object.required("amount").amount(),
            payableByClient: try object.required("payableByClient").bool(),
            kind: FBSFee.Kind(text: try object.required("type").string()),
            reason: try object.optional("reasonMessage")?.string(),
            createdOn: try object.required("creationDate").date(),
            dueOn: try object.optional("dueDate")?.date(),
            paidOn: try object.optional("paidDate")?.date())
    }
}
