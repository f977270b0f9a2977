import Foundation

/// The JSON bodies the client sends, written by Foundation's encoder (requests are the
/// bridge's own values; only answers need the strict reader).
enum FBSRequestBody {
    private struct Login: Encodable {
        let username: String
        let password: String
    }

    private struct Payment: Encodable {
        let orderId: String
        let feeIds: [Int64]
    }

    static func login(_ credentials: FBSCredentials) throws(FBSError) -> [UInt8] {
        try encoded(Login(username: credentials.username, password: credentials.password), operation: .login)
    }

    static func payment(_ order: FBSPaymentOrder) throws(FBSError) -> [UInt8] {
        try encoded(Payment(orderId: order.orderID, feeIds: order.feeIDs), operation: .registerPayment)
    }

    private static func encoded(_ value: some Encodable, operation: FBSOperation) throws(FBSError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw FBSError(.invalidOrder, operation: operation, message: "the request could not be written as JSON")
        }
    }
}
