import KioskBridgeCore

/// The array of per-fee confirmations from `payment/v2`.
///
/// Every fee of the order must be answered exactly once and no other fee: an answer that
/// leaves a fee out says nothing about it, and the caller must then repeat the order (same
/// orderId, so safe) rather than assume either outcome. A `paymentRegistered` needs its
/// confirmationId and, where the answer echoes the orderId, this order's.
enum PaymentAnswer {
    static func results(from bytes: [UInt8], order: FBSPaymentOrder) throws(FBSError) -> [FBSPaymentResult] {
        let context = AnswerContext(operation: .registerPayment)
        var byFee: [Int64: FBSPaymentResult] = [:]
        for field in try context.json(bytes).array() {
            let object = try field.object()
            let feeField = try object.required("feeId")
            let feeID = try feeField.positiveID()
            guard order.feeIDs.contains(feeID) else { throw feeField.refuse(expected: "one of the order's fees \(order.feeIDs)") }
            guard byFee[feeID] == nil else { throw feeField.refuse(expected: "each fee of the order once") }
            byFee[feeID] = FBSPaymentResult(feeID: feeID, status: try status(object, order: order))
        }
        return try order.feeIDs.map { (feeID) throws(FBSError) -> FBSPaymentResult in
            guard let result = byFee[feeID] else {
                throw context.malformed("has no confirmation for fee \(feeID) of order \(AnswerText.cut(order.orderID))")
            }
            return result
        }
    }

    static func status(_ object: AnswerObject, order: FBSPaymentOrder) throws(FBSError) -> FBSPaymentResult.Status {
        let statusField = try object.required("paymentStatus")
        switch try statusField.string() {
        case "paymentRegistered":
            if let echoed = object.optional("orderId"), try echoed.string() != order.orderID {
                throw echoed.refuse(expected: "this order's orderId")
            }
            return .registered(confirmationID: try object.required("confirmationId").identifierText())
        case "paymentRegisteredByDifferentOrderId": return .registeredByDifferentOrder
        case "paymentNotAllowedByClient": return .notAllowedByClient
        case let other:
            let kept = String(other.prefix(FBSPaymentResult.maximumStatusLength))
            return .unknown(PersonalDataRedaction.redactCPRs(in: kept))
        }
    }
}
