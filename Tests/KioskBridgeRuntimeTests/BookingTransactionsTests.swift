import Testing
@testable import KioskBridgeRuntime

/// How a run's kiosk files are cut into booking transactions (issue 14): small files share
/// one, a transaction stays within its caps, files keep their order, and a file is never
/// split.
@Suite("Booking transactions: several files to one, cut at file boundaries")
struct BookingTransactionsTests {
    let megabyte = 1 << 20

    @Test("fifty small kiosk files are one transaction, in their order")
    func smallFilesShareOneTransaction() {
        let sizes = (0..<50).map { 20_000 + $0 }
        let cut = BookingTransactions.cut(sizes) { $0 }
        #expect(cut == [sizes])
    }

    @Test("a transaction books at most 100 files")
    func filesPerTransactionCap() {
        let cut = BookingTransactions.cut(Array(1...250)) { _ in 100 }
        #expect(cut.map(\.count) == [100, 100, 50])
        #expect(cut.flatMap { $0 } == Array(1...250))
    }

    @Test("a transaction books at most 4 MB of files, cut before the file that would pass it")
    func bytesPerTransactionCap() {
        let sizes = [megabyte, megabyte, megabyte, megabyte, 1, megabyte]
        let cut = BookingTransactions.cut(sizes) { $0 }
        #expect(cut == [[megabyte, megabyte, megabyte, megabyte], [1, megabyte]])
    }

    @Test("a file larger than 4 MB is a transaction of its own, never split or skipped")
    func largeFileAlone() {
        let sizes = [10, 50 * megabyte, 10, 10]
        let cut = BookingTransactions.cut(sizes) { $0 }
        #expect(cut == [[10], [50 * megabyte], [10, 10]])
    }

    @Test("an empty run is no transaction")
    func emptyRun() {
        #expect(BookingTransactions.cut([Int]()) { $0 }.isEmpty)
    }
}
