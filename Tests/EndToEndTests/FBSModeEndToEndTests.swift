import FBSSimulator
import Foundation
import Testing

/// `[allocation] fbs_claims = "fbs"` (issue 15, cli.md, fbs-api.md): old fees paid in full
/// are registered in FBS exactly once, through the executable against the FBS simulator.
@Suite("Old fees paid straight into FBS, end to end", .serialized)
struct FBSModeEndToEndTests {
    typealias D = KioskCSV.D

    /// The payer's two new claims with the debtor and, in FBS, fee 5001 (15,00) from 2020
    /// and fee 5002 (30,00) from 2021. A snapshot also lists fee 5001 as payable in FBS, for
    /// cycles in which FBS cannot be asked.
    static let claims = """
        H;1;DEBTOR;2026-11-21T06:00:00+01:00
        C;F-1001;0101901234;BIBLIOTEKSGEBYR;2026-09-01;2026-09-15;20,00;20,00;DEBTOR
        C;F-1002;0101901234;BIBLIOTEKSGEBYR;2026-10-03;2026-10-17;20,00;20,00;DEBTOR
        C;5001;0101901234;BIBLIOTEKSGEBYR;2020-03-01;;15,00;15,00;FBS
        T;3;55,00

        """

    static func simulatorData() -> FBSSimulatorData {
        FBSSimulatorData(patrons: [.init(cpr: "0101901234", patronID: 424242, fees: [
            .init(feeID: 5001, amount: "15", type: "fee", createdOn: "2020-03-01"),
            .init(feeID: 5002, amount: "30.00", type: "fee", createdOn: "2021-01-05"),
        ])])
    }

    /// A bridge in the `fbs` mode pointed at `simulator`, with the claims loaded.
    static func bridge(_ simulator: FBSSimulator) throws -> BridgeFixture {
        let bridge = try BridgeFixture { text in
            text = text.replacingOccurrences(of: "fbs_claims = \"skip\"", with: "fbs_claims = \"fbs\"")
            text += """

                [fbs]
                base_url = "\(simulator.baseURL)"
                agency_id = "DK-761500"
                credentials_file = "fbs-credentials"
                timeout_seconds = 3

                """
        }
        let credentials = bridge.root.appendingPathComponent("fbs-credentials")
        try "kioskbridge\nfbs-test-password\n".write(to: credentials, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: credentials.path)
        let loaded = try bridge.importClaims(claims)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        return bridge
    }

    static func allocations(_ bridge: BridgeFixture, _ receipt: String, at now: String = "2026-11-21T15:00:00+01:00") -> [[String: Any]] {
        bridge.receipt(receipt, at: now).first?["allocations"] as? [[String: Any]] ?? []
    }

    static func part(_ parts: [[String: Any]], claim: String) -> [String: Any] {
        parts.first { $0["claim_id"] as? String == claim && $0["kind"] as? String == "PAYMENT" } ?? [:]
    }

    static func worklistText(_ bridge: BridgeFixture) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: bridge.worklist.path).sorted()
        return try names.map { try String(contentsOf: bridge.worklist.appendingPathComponent($0), encoding: .utf8) }.joined()
    }

    @Test("fbsRegistersWholeFees: a part paying an old fee in full is registered in FBS once; a part paying one partly goes to the worklist")
    func fbsRegistersWholeFees() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let cycle = bridge.cycle()
        #expect(cycle.status == 0, "\(cycle.stderr)")
        let fbs = cycle.json["fbs"] as? [String: Int] ?? [:]
        #expect(fbs["registered"] == 1)
        #expect(fbs["waiting"] == 0)
        #expect(simulator.state.registrations(of: 5001) == 1)
        #expect(simulator.state.registrations(of: 5002) == 0)

        let parts = Self.allocations(bridge, "B-1")
        let registered = Self.part(parts, claim: "5001")
        #expect(registered["amount_ore"] as? Int == 1500)
        #expect(registered["fbs_status"] as? String == "registered")
        #expect(registered["fbs_confirmation_id"] as? String == simulator.state.paidOrders[5001]?.confirmationID)
        #expect(simulator.state.paidOrders[5001]?.orderID == "kb-KIOSK-0042-K42-1")
        let partial = Self.part(parts, claim: "5002")
        #expect(partial["amount_ore"] as? Int == 2500)
        #expect(partial["fbs_status"] as? String == "worklist")
        // The worklist carries the partial part only; the registered one is FBS's.
        let worklist = try Self.worklistText(bridge)
        #expect(worklist.contains("5002"))
        #expect(!worklist.contains("5001"))
        let text = bridge.run(["receipt", "B-1"], now: "2026-11-21T15:00:00+01:00", json: false).stdout
        #expect(text.contains("registered in FBS, confirmation"))

        // Later cycles never register the fee again.
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(simulator.state.registrations(of: 5001) == 1)
    }

    @Test("fbsDownDebtorExportUnaffected: with FBS down the debtor export goes out, the old-fee part waits (status warns after two cycles) and is registered next cycle")
    func fbsDownDebtorExportUnaffected() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        for operation in FBSSimulatorOperation.allCases { simulator.state.inject(.serverError(status: 503), on: operation, times: nil) }
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let down = bridge.cycle()
        #expect(down.status == 0, "\(down.stderr)")
        #expect((down.json["export_files"] as? [String])?.count == 1)
        #expect((down.json["warnings"] as? [String])?.contains { $0.contains("FBS could not be reached") } == true)
        let waiting = Self.allocations(bridge, "B-1")
        #expect(Self.part(waiting, claim: "5001")["fbs_status"] as? String == "waiting")
        #expect(Self.part(waiting, claim: "F-1001")["amount_ore"] as? Int == 2000)
        // status says so once the part has waited longer than two cycles.
        func check(_ now: String) -> [String: Any]? {
            (bridge.run(["status"], now: now).json["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "fbs" }
        }
        #expect(check("2026-11-21T14:30:00+01:00")?["level"] as? String == "ok")
        let late = check("2026-11-21T15:30:00+01:00")
        #expect(late?["level"] as? String == "warning")
        #expect((late?["message"] as? String)?.contains("1 part(s) on old fees, 15,00 kr.") == true)

        simulator.state.clearFaults()
        let back = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(back.status == 0, "\(back.stderr)")
        #expect(Self.part(Self.allocations(bridge, "B-1"), claim: "5001")["fbs_status"] as? String == "registered")
        #expect(simulator.state.registrations(of: 5001) == 1)
    }

    @Test("fbsExactlyOnceAfterCrash: killed between FBS's answer and storing it, the next cycle repeats the same order and FBS registers nothing twice")
    func fbsExactlyOnceAfterCrash() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let killed = bridge.cycle(environment: ["KIOSKBRIDGE_CRASH_AT": "after-fbs-call"])
        #expect(killed.status == 137)
        #expect(simulator.state.registrations(of: 5001) == 1)
        #expect(Self.part(Self.allocations(bridge, "B-1"), claim: "5001")["fbs_status"] as? String == "waiting")

        let next = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(simulator.state.registrations(of: 5001) == 1)
        #expect(simulator.state.calls(of: .registerPayment) == 2)
        let part = Self.part(Self.allocations(bridge, "B-1"), claim: "5001")
        #expect(part["fbs_status"] as? String == "registered")
        #expect(part["fbs_confirmation_id"] as? String == simulator.state.paidOrders[5001]?.confirmationID)
    }

    @Test("fbsPaidElsewhereIsRefund: a fee FBS had paid by a different order makes the part a refund case on the worklist")
    func fbsPaidElsewhereIsRefund() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        simulator.state.inject(.serverError(status: 500), on: .registerPayment, times: 1)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().status == 0)
        #expect(Self.part(Self.allocations(bridge, "B-1"), claim: "5001")["fbs_status"] as? String == "waiting")
        // Paid online before the bridge's repeat of its order.
        simulator.state.payElsewhere(feeID: 5001)
        let answered = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect((answered.json["fbs"] as? [String: Int])?["refunds"] == 1)
        #expect(Self.part(Self.allocations(bridge, "B-1"), claim: "5001")["fbs_status"] as? String == "refund")
        #expect(simulator.state.registrations(of: 5001) == 0)
        // The next cycle puts it on the worklist for staff to refund.
        let handed = bridge.cycle(at: "2026-11-21T15:00:00+01:00")
        #expect((handed.json["fbs"] as? [String: Int])?["handed_to_worklist"] == 1)
        #expect(try Self.worklistText(bridge).contains("5001"))
    }

    static func reportKiosk(_ bridge: BridgeFixture, at now: String) -> [String: Any] {
        let report = bridge.run(["report", "--date", "2026-11-21"], now: now).json
        return (report["kiosks"] as? [[String: Any]])?.first { $0["kiosk_id"] as? String == "KIOSK-0042" } ?? [:]
    }

    @Test("fbsReportCountsParts: report shows the day's parts on old fees by state, lists the refund cases and the parts waiting, and a payment registered in FBS has gone out")
    func fbsReportCountsParts() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        // B-1 pays fee 5001 (15,00) in full, B-2 fee 5002 (30,00): nothing goes to the debtor.
        simulator.state.inject(.serverError(status: 500), on: .registerPayment, times: 1)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", amount: "15,00", receipt: "B-1").line,
                                                                      D(id: "K42-2", amount: "30,00", receipt: "B-2").line]))
        #expect(bridge.cycle().status == 0)
        let waiting = Self.reportKiosk(bridge, at: "2026-11-21T14:30:00+01:00")
        #expect((waiting["fbs_waiting"] as? [[String: Any]])?.contains { $0["receipt"] as? String == "B-1" && $0["fee_id"] as? String == "5001" } == true)
        #expect((waiting["pending"] as? [String: Int])?["count"] ?? 0 >= 1)

        simulator.state.payElsewhere(feeID: 5001)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(bridge.cycle(at: "2026-11-21T15:00:00+01:00").status == 0)
        let kiosk = Self.reportKiosk(bridge, at: "2026-11-21T15:10:00+01:00")
        let fbs = kiosk["fbs"] as? [String: [String: Int]] ?? [:]
        #expect(fbs["registered"] == ["count": 1, "sum_ore": 3000])
        #expect(fbs["refund"] == ["count": 1, "sum_ore": 1500])
        #expect(fbs["waiting"] == nil)
        #expect((kiosk["fbs_refunds"] as? [[String: Any]])?.compactMap { $0["receipt"] as? String } == ["B-1"])
        // B-2 is in no export file, but FBS has it: it counts as exported, and the day settles.
        #expect(kiosk["exported"] as? [String: Int] == ["count": 2, "sum_ore": 4500])
        #expect(kiosk["pending"] as? [String: Int] == ["count": 0, "sum_ore": 0])
        #expect(kiosk["settled"] as? Bool == true)
        let text = bridge.run(["report", "--date", "2026-11-21"], now: "2026-11-21T15:10:00+01:00", json: false).stdout
        #expect(text.contains("FBS refund  B-1 (K42-1) fee 5001 15,00 kr."))
        #expect(text.contains("registered 30,00 kr. (1)"))
    }

    @Test("fbsGiveUpAfterHours: a part FBS does not register within give_up_after_hours goes to the worklist")
    func fbsGiveUpAfterHours() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        for operation in FBSSimulatorOperation.allCases { simulator.state.inject(.serverError(status: 502), on: operation, times: nil) }
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().status == 0)
        #expect(bridge.cycle(at: "2026-11-22T10:00:00+01:00").status == 0)
        #expect(Self.part(Self.allocations(bridge, "B-1", at: "2026-11-22T10:10:00+01:00"), claim: "5001")["fbs_status"] as? String == "waiting")
        let late = bridge.cycle(at: "2026-11-22T14:40:00+01:00")
        #expect((late.json["fbs"] as? [String: Int])?["handed_to_worklist"] == 1)
        let part = Self.part(Self.allocations(bridge, "B-1", at: "2026-11-22T15:00:00+01:00"), claim: "5001")
        #expect(part["fbs_status"] as? String == "worklist")
        #expect((part["fbs_reason"] as? String)?.contains("give_up_after_hours") == true)
        #expect(try Self.worklistText(bridge).contains("5001"))
        #expect(simulator.state.registrations(of: 5001) == 0)
    }

    @Test("fbsVoidOfRegisteredIsWorklistReversal: a void of a payment registered in FBS puts a REVERSAL on the worklist for staff")
    func fbsVoidOfRegisteredIsWorklistReversal() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        #expect(bridge.cycle().status == 0)
        try bridge.drop("b.csv", KioskCSV.file(sequence: 2, createdAt: "2026-11-21T14:30:00+01:00",
                                               records: [KioskCSV.V(id: "K42-V1", voidedAt: "2026-11-21T14:25:00+01:00", voids: "K42-1").line]))
        let voided = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(voided.status == 0, "\(voided.stderr)")
        let worklist = try Self.worklistText(bridge)
        #expect(worklist.contains("REVERSAL"))
        #expect(worklist.components(separatedBy: "\n").contains { $0.contains("REVERSAL") && $0.contains("5001") })
        #expect(simulator.state.registrations(of: 5001) == 1)
    }

    @Test("fbsAnswerLostRepeatedSafely: a registration whose answer is lost is sent again with the same orderId and registered once")
    func fbsAnswerLostRepeatedSafely() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        simulator.state.inject(.answerLost, on: .registerPayment, times: 1)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let lost = bridge.cycle()
        #expect(lost.status == 0, "\(lost.stderr)")
        #expect((lost.json["fbs"] as? [String: Int])?["waiting"] == 1)
        #expect(simulator.state.registrations(of: 5001) == 1)
        #expect(bridge.cycle(at: "2026-11-21T14:40:00+01:00").status == 0)
        #expect(Self.part(Self.allocations(bridge, "B-1"), claim: "5001")["fbs_status"] as? String == "registered")
        #expect(simulator.state.registrations(of: 5001) == 1)
    }

    @Test("fbsSessionExpiresMidCycle: a session key that expires between calls is renewed and the call repeated once")
    func fbsSessionExpiresMidCycle() async throws {
        var data = Self.simulatorData()
        data.sessionCalls = 2
        let simulator = try await FBSSimulator.start(data)
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let cycle = bridge.cycle()
        #expect(cycle.status == 0, "\(cycle.stderr)")
        #expect((cycle.json["fbs"] as? [String: Int])?["registered"] == 1)
        #expect(simulator.state.calls(of: .login) >= 2)
        #expect(simulator.state.registrations(of: 5001) == 1)
        for key in simulator.state.issuedSessionKeys { #expect(!cycle.stderr.contains(key)) }
        #expect(!cycle.stderr.contains("fbs-test-password"))
        #expect(!cycle.stderr.contains("0101901234"))
    }

    @Test("fbsRefusedIsAllocatedAgain: a fee FBS will not take from the bridge (paymentNotAllowedByClient) goes back to allocation next cycle over the remaining claims")
    func fbsRefusedIsAllocatedAgain() async throws {
        let simulator = try await FBSSimulator.start(Self.simulatorData())
        defer { simulator.stop() }
        let bridge = try Self.bridge(simulator)
        simulator.state.answer(status: "paymentNotAllowedByClient", forFee: 5001)
        try bridge.drop("a.csv", KioskCSV.file(sequence: 1, records: [D(id: "K42-1", receipt: "B-1").line]))
        let refused = bridge.cycle()
        #expect((refused.json["fbs"] as? [String: Int])?["released"] == 1)
        let first = Self.part(Self.allocations(bridge, "B-1"), claim: "5001")
        #expect(first["fbs_status"] as? String == "released")
        #expect((first["fbs_reason"] as? String)?.contains("paymentNotAllowedByClient") == true)

        // Next cycle the 15,00 goes over what is left, oldest first: 5,00 to fee 5002 (whose
        // other 25,00 are on the worklist), 10,00 to the debtor's F-1001. Fee 5001 is not offered again.
        let again = bridge.cycle(at: "2026-11-21T14:40:00+01:00")
        #expect(again.status == 0, "\(again.stderr)")
        let parts = Self.allocations(bridge, "B-1", at: "2026-11-21T15:00:00+01:00")
        #expect(parts.reduce(0) { $0 + ($1["amount_ore"] as? Int ?? 0) } == 4000)
        #expect(parts.compactMap { part -> String? in
            guard let claim = part["claim_id"] as? String, let ore = part["amount_ore"] as? Int else { return nil }
            return "\(claim) \(ore) \(part["fbs_status"] as? String ?? "-")"
        } == ["5001 1500 released", "5002 2500 worklist", "5001 -1500 released", "5002 500 worklist", "F-1001 1000 -"])
        // The first cycle had nothing for the debtor; this one has the 10,00.
        #expect((refused.json["export_files"] as? [String]) == [])
        let debtor = try FileManager.default.contentsOfDirectory(atPath: bridge.outbox.path).sorted()
        #expect(debtor.count == 1)
        let second = bridge.outboxFile(debtor.last ?? "")
        #expect(second.contains("F-1001"))
        #expect(second.contains("K42-1"))
        #expect(!second.contains("5001"))
        #expect(!(try Self.worklistText(bridge)).contains("5001"))
        let trail = bridge.receipt("B-1", at: "2026-11-21T15:00:00+01:00").first?["trail"] as? [[String: Any]] ?? []
        #expect(trail.contains { $0["event"] as? String == "fbs-reallocated" })
        // A later cycle allocates nothing more for it.
        #expect(bridge.cycle(at: "2026-11-21T15:00:00+01:00").json["payments_allocated"] as? Int == 0)
        #expect(simulator.state.registrations(of: 5001) == 0)
    }
}
