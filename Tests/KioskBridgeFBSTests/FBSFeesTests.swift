import FBSSimulator
import KioskBridgeCore
import Testing
@testable import KioskBridgeFBS

/// fbs-api.md, "List a patron's fees": amounts from their decimal text into whole øre.
@Suite struct FBSFeesTests {
    @Test func amountsAreReadFromTheirDecimalTextIntoWholeOre() async throws {
        try await FBSFixture.run { client, _ in
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.map(\.amount) == [Amount(ore: 2000), Amount(ore: 24995), Amount(ore: 50), Amount(ore: 7000)])
        }
    }

    @Test func eachFeeCarriesItsIdTypeDatesAndWhoMayTakePayment() async throws {
        try await FBSFixture.run { client, _ in
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.map(\.id) == [1001, 1002, 1003, 1004])
            #expect(fees.map(\.kind) == [.fee, .compensation, .fee, .fee])
            #expect(fees.map(\.payableByClient) == [true, true, true, false])
            #expect(fees[0].createdOn == LocalDate(year: 2020, month: 1, day: 10))
            #expect(fees[0].dueOn == LocalDate(year: 2020, month: 4, day: 1))
            #expect(fees[2].dueOn == nil)
            #expect(fees.allSatisfy { $0.paidOn == nil })
            #expect(fees[0].reason == "Gebyr (for sent)")
        }
    }

    @Test func feesHandedToTheDebtorAreListedToo() async throws {
        try await FBSFixture.run { client, simulator in
            _ = try await client.unpaidFees(of: FBSFixture.patron)
            let target = try #require(simulator.state.requestTargets.last)
            #expect(target.hasSuffix("/fees/v2?includepaid=false&includenonpayable=true"))
        }
    }

    @Test func aTypeOtherThanFeeOrCompensationCountsAsOther() async throws {
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(7, "10", type: "interlibraryLoan")])) { client, _ in
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.map(\.kind) == [.other("interlibraryLoan")])
        }
    }

    @Test(arguments: [
        ("1.234", "1.234"), ("-5", "-5"), (#""abc""#, #""abc""#), ("1e3", "1e3"), ("2.5E1", "2.5E1"),
        ("1000000.01", "1000000.01"), ("123456789012345", "123456789012345"), (#""20""#, #""20""#), ("null", "nothing"),
    ])
    func anAmountThatIsNotWholeOreOrNotAFeeIsRefused(amount: String, shown: String) async throws {
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(1001, "20"), FBSFixture.fee(1002, amount)])) { client, _ in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .malformedAnswer)
            #expect(error.operation == .listFees)
            #expect(error.message.contains("answer[1].amount: found \(shown), expected"))
        }
    }

    @Test func theLargestBelievableAmountIsAMillionKroner() async throws {
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(1, "1000000"), FBSFixture.fee(2, "0"), FBSFixture.fee(3, "20.0")])) { client, _ in
            let fees = try await client.unpaidFees(of: FBSFixture.patron)
            #expect(fees.map(\.amount.ore) == [100_000_000, 0, 2000])
        }
    }

    @Test func aMalformedFeeNamesTheOperationTheFieldWhatWasFoundAndWhatWasExpected() async throws {
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(1001, "20", createdOn: "10-01-2020")])) { client, _ in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.description == #"FBS list the patron's fees: the answer field answer[0].creationDate: found "10-01-2020", expected a date YYYY-MM-DD"#)
        }
    }

    @Test func whatWasFoundIsCutTo80CharactersWithItsLength() async throws {
        let long = String(repeating: "x", count: 300)
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(1001, "20", createdOn: long)])) { client, _ in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.message.contains("found \"\(String(repeating: "x", count: 80))… (300 characters)\", expected a date"))
        }
    }

    @Test func aFeeListedTwiceIsRefused() async throws {
        try await FBSFixture.run(FBSFixture.data(fees: [FBSFixture.fee(1001, "20"), FBSFixture.fee(1001, "30")])) { client, _ in
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.message.contains("answer[1].feeId: found 1001, expected each feeId once"))
        }
    }

    @Test func anAnswerThatIsNotJSONSaysWhereItStops() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: "<html>proxy error</html>"), on: .listFees)
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.code == .malformedAnswer)
            #expect(error.message == "the answer is not valid JSON at byte 0: found '<', expected a JSON value")
        }
    }

    @Test func aFeeListThatIsNotAnArrayIsRefused() async throws {
        try await FBSFixture.run { client, simulator in
            simulator.state.inject(.rawAnswer(status: 200, body: #"{"fees":[]}"#), on: .listFees)
            let error = try #require(await FBSFixture.error { try await client.unpaidFees(of: FBSFixture.patron) })
            #expect(error.message == "the answer field answer: found an object with 1 key, expected an array")
        }
    }
}
