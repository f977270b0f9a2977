import StoreTestSupport
import Testing

/// Says in the test log whether the PostgreSQL cases of the suites ran: without a test
/// server they are skipped (and this test is reported skipped); in CI they must run.
@Suite("PostgreSQL for the store's tests")
struct PostgresAvailabilityTests {
    @Test("A PostgreSQL test server is configured (KIOSKBRIDGE_TEST_POSTGRES_URL): the PostgreSQL cases run",
          .enabled(if: TestBackend.postgresURL != nil, "no KIOSKBRIDGE_TEST_POSTGRES_URL: every PostgreSQL case is skipped"))
    func configured() async throws {
        try TestBackend.postgres.requireAvailable()
    }
}
