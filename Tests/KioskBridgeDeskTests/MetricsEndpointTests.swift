import Testing
@testable import KioskBridgeDesk

/// Operations: the Prometheus endpoint that `watch` and `serve` answer.
@Suite("Metrics: /metrics in Prometheus' text format", .serialized)
struct MetricsEndpointTests {
    @Test("The counters and gauges agree with the sample day: booked, voided, refused, exported, files, last cycle, status checks")
    func sampleDay() async throws {
        let bridge = try await DeskFixture.start(metrics: true)
        defer { bridge.stop() }
        let response = try await bridge.client().get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let lines = Set(response.body.split(separator: "\n").map(String.init))
        for line in ["kioskbridge_payments_booked_total 8", "kioskbridge_payments_booked_ore_total 98995",
                     "kioskbridge_payments_voided_total 1", "kioskbridge_payments_exported_total 7",
                     "kioskbridge_records_rejected_total 3", "kioskbridge_files_total{verdict=\"accepted\"} 3",
                     "kioskbridge_files_total{verdict=\"rejected\"} 1", "kioskbridge_export_files_total 1",
                     "kioskbridge_exported_ore_total 92995", "kioskbridge_last_cycle_ok 1", "kioskbridge_inbox_files 0",
                     "# TYPE kioskbridge_payments_booked_total counter", "kioskbridge_check{name=\"inbox\"} 0",
                     "kioskbridge_debtor_unconfirmed_exports 7", "kioskbridge_debtor_unconfirmed_ore 92995",
                     "kioskbridge_debtor_overdue_exports 0"] {
            #expect(lines.contains(line), "missing: \(line)\n\(response.body)")
        }
        // 929,95 kr. exported (the csv file's trailer) + 60,00 kr. voided before export = 989,95 kr. booked.
        #expect(lines.contains("kioskbridge_last_successful_cycle_timestamp_seconds 1795267200.000"), "2026-11-21T14:20:00+01:00")
        #expect(lines.contains { $0.hasPrefix("kioskbridge_last_cycle_duration_seconds ") })
        #expect(!response.body.contains("0101901234"))
    }
}
