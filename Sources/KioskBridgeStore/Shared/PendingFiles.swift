/// Which of the files booked since the last allocation a cycle takes: whole files in the
/// order they were booked, until the cycle holds `paymentsPerCycle` payments (always the
/// first, however large). The rest wait for the next cycle, as files booked after it would.
///
/// A cycle is one allocation and one export. Ten million payments in one (a backlog of
/// weeks handed over at once) outlast PostgreSQL's statement timeout, and a cycle that
/// fails that way fails again every 20 minutes with the same files: nothing would ever be
/// exported. Cut at files, each payment is still allocated in the cycle after its file
/// was booked, only later.
public struct PendingFiles: Sendable {
    public let taken: [RowID]
    public let left: FilesLeft

    public init(_ files: [(id: RowID, payments: Int)], paymentsPerCycle: Int) {
        var taken: [RowID] = []
        var payments = 0
        var left = FilesLeft(files: 0, payments: 0)
        for file in files {
            if taken.isEmpty || payments < paymentsPerCycle {
                taken.append(file.id)
                payments += file.payments
            } else {
                left = FilesLeft(files: left.files + 1, payments: left.payments + file.payments)
            }
        }
        self.taken = taken
        self.left = left
    }
}
