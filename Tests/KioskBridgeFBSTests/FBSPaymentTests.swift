import FBSSimulator
import Testing
@testable import KioskBridgeFBS

/// fbs-api.md, "Register a payment of whole fees": the three statuses, anything else, and
/// the orderId as the idempotency key.
@Suite struct FBSPaymentTests {
    static func order(_ feeIDs: [Int64], _ orderID: String = "kb-KIOSK-0042-K42-20261121-0001") throws -> FBSPaymentOrder {
        try FBSPaymentOrder(orderID: orderID, feeIDs: feeIDs)
    }

    @Test func aRegisteredPaymentConfirmsEachWholeFeeAndTheFeeIsNoLongerUnpaid() async throws {
        try await FBSFixture.run { client, simulator in
            let results = try await client.registerPayment(try Self.order([1002, 1001]), for: FBSFixture.patron)
            #expect(results.map(\.feeID) == [1002, 1001])
            guard case .registered(let first) = results[0].status, case .registered(let second) = results[1].status else {
                Issue.record("not registered: \(results)")
                return
            }
            #expect(first != second)
            #expect(simulator.state.paidOrders[1002]?.confirmationID == first)
            #expect(try await client.unpaidFees(of: FBSFixture.patron).map(\.id) == [1003, 1004])
            #expect(simulator.state.registrations == [1001: 1, 1002: 1])
        }
    }

    @Test func repeatingAnOrderIdAnswersTheSameConfirmationAndRegistersNothingTwice() async throws {
        try await FBSFixture.run { client, simulator in
            let first = try await client.registerPayment(try Self.order([1001]), for: FBSFixture.patron)
            let again = try await client.registerPayment(try Self.order([1001]), for: FBSFixture.patron)
            #expect(first == again)
            #expect(first[0].isRegistered)
            #expect(simulator.state.registrations(of: 1001) == 1)
        }
    }

    @Test func anAnswerLostAfterRegisteringIsATimeoutAndTheRepeatGetsTheSameConfirmation() async throws {
        try await FBSFixture.run(timeout: FBSFixture.faultTimeout) { client, simulator in
            simulator.state.inject(.answerLost, on: .registerPayment)
            let error = try #require(await FBSFixture.error { try await client.registerPayment(try Self.order([1001]), for: FBSFixture.patron) })
            #expect(error.code == .timeout)
            #expect(error.message.contains("repeating the order is safe"))
            let order = try Self.order([1001])
            let results = try await FBSFixture.patient(simulator) { try await $0.registerPayment(order, for: FBSFixture.patron) }
            #expect(results == [FBSPaymentResult(feeID: 1001, status: .registered(confirmationID: try #require(simulator.state.paidOrders[1001]?.confirmationID)))])
            #expect(simulator.state.registrations(of: 1001) == 1)
        }
    }

    @Test func aFeePaidElsewhereBetweenFetchAndPaymentIsRegisteredByADifferentOrder() async throws {
        try await FBSFixture.run { client, simulator in
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            simulator.state.payElsewhere(feeID: fees[0].id)
            let results = try await client.registerPayment(try Self.order([fees[0].id, fees[1].id]), for: FBSFixture.patron)
            #expect(results[0] == FBSPaymentResult(feeID: 1001, status: .registeredByDifferentOrder))
            #expect(results[1].isRegistered)
            #expect(simulator.state.registrations(of: 1001) == 0)
        }
    }

    @Test func aFeeTheClientMayNotTakeIsNotAllowedByClient() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.handToDebtor(feeID: 1001)
            let results = try await client.registerPayment(try Self.order([1001, 1004]), for: FBSFixture.patron)
            #expect(results.map(\.status) == [.notAllowedByClient, .notAllowedByClient])
            #expect(simulator.state.registrations.isEmpty)
        }
    }

    @Test func anUndocumentedStatusIsKeptAsItsTextAndIsNotRegistered() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.answer(status: "paymentPending", forFee: 1001)
            let results = try await client.registerPayment(try Self.order([1001]), for: FBSFixture.patron)
            #expect(results == [FBSPaymentResult(feeID: 1001, status: .unknown("paymentPending"))])
            #expect(!results[0].isRegistered)
        }
    }

    @Test func anAnswerThatLeavesAFeeOutIsMalformed() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: """
                [{"orderId":"o-1","feeId":1001,"paymentStatus":"paymentRegistered","confirmationId":"C-1"}]
                """), on: .registerPayment)
            let error = try #require(await FBSFixture.error { try await client.registerPayment(try Self.order([1001, 1002], "o-1"), for: FBSFixture.patron) })
            #expect(error.code == .malformedAnswer)
            #expect(error.message == "the answer has no confirmation for fee 1002 of order o-1")
        }
    }

    @Test func aRegistrationWithoutConfirmationOrForAnotherOrderIsMalformed() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"[{"orderId":"o-1","feeId":1001,"paymentStatus":"paymentRegistered"}]"#), on: .registerPayment)
            let missing = try #require(await FBSFixture.error { try await client.registerPayment(try Self.order([1001], "o-1"), for: FBSFixture.patron) })
            #expect(missing.message.contains("answer[0].confirmationId: found nothing"))
            simulator.state.inject(.rawAnswer(status: 200, body: #"[{"orderId":"o-2","feeId":1001,"paymentStatus":"paymentRegistered","confirmationId":"C"}]"#), on: .registerPayment)
            let other = try #require(await FBSFixture.error { try await client.registerPayment(try Self.order([1001], "o-1"), for: FBSFixture.patron) })
            #expect(other.message.contains(#"answer[0].orderId: found "o-2", expected this order's orderId"#))
            simulator.state.inject(.rawAnswer(status: 200, body: #"[{"feeId":1005,"paymentStatus":"paymentRegistered","confirmationId":"C"}]"#), on: .registerPayment)
            let stranger = try #require(await FBSFixture.error { try await client.registerPayment(try Self.order([1001], "o-1"), for: FBSFixture.patron) })
            #expect(stranger.message.contains("answer[0].feeId: found 1005, expected one of the order's fees [1001]"))
        }
    }

    @Test func aConfirmationIdMayBeANumber() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"[{"feeId":1001,"paymentStatus":"paymentRegistered","confirmationId":778899}]"#), on: .registerPayment)
            let results = try await client.registerPayment(try Self.order([1001]), for: FBSFixture.patron)
            #expect(results == [FBSPaymentResult(feeID: 1001, status: .registered(confirmationID: "778899"))])
        }
    }

    @Test func anOrderMustPayEachFeeOnceAndHaveAUsableOrderId() throws {
        #expect(throws: FBSError.self) { try FBSPaymentOrder(orderID: "o", feeIDs: []) }
        #expect(throws: FBSError.self) { try FBSPaymentOrder(orderID: "o", feeIDs: [1, 2, 1]) }
        #expect(throws: FBSError.self) { try FBSPaymentOrder(orderID: "", feeIDs: [1]) }
        #expect(throws: FBSError.self) { try FBSPaymentOrder(orderID: "a\nb", feeIDs: [1]) }
        #expect(throws: FBSError.self) { try FBSPaymentOrder(orderID: String(repeating: "o", count: 201), feeIDs: [1]) }
        #expect(try FBSPaymentOrder(orderID: "kb-KIOSK-0042-K42-20261121-0001", feeIDs: [3, 1]).feeIDs == [3, 1])
    }
}
