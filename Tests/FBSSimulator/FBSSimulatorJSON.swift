import Foundation
import Hummingbird
import NIOCore

/// Answers as FBS writes them: JSON text put together by hand, so that a fee's amount is
/// exactly the number text the test data holds (a correct one or a broken one).
enum FBSSimulatorJSON {
    /// `text` as a JSON string literal.
    static func string(_ text: String) -> String {
        (try? JSONEncoder().encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    static func optionalString(_ text: String?) -> String {
        text.map(string) ?? "null"
    }

    static func response(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json;charset=UTF-8"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func fee(_ fee: FBSSimulatorState.Fee) -> String {
        let data = fee.data
        return "{\"feeId\":\(data.feeID),\"type\":\(string(data.type)),\"reasonMessage\":\(optionalString(data.reason)),"
            + "\"amount\":\(data.amount),\"dueDate\":\(optionalString(data.dueOn)),\"creationDate\":\(string(data.createdOn)),"
            + "\"paidDate\":\(optionalString(fee.paidOn)),\"payableByClient\":\(data.payableByClient),\"materials\":[]}"
    }

    /// `confirmationId` only where FBS gives one (it is absent, not null, otherwise).
    static func confirmation(_ confirmation: FBSSimulatorState.Confirmation, orderID: String) -> String {
        "{\"orderId\":\(string(orderID)),\"feeId\":\(confirmation.feeID),\"paymentStatus\":\(string(confirmation.status))"
            + (confirmation.confirmationID.map { ",\"confirmationId\":\(string($0))" } ?? "") + "}"
    }
}
