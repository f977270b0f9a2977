import KioskBridgeCore
import KioskBridgeStore

/// Judges the records of one accepted file by the rules of kiosk-file.md: valid records
/// are booked, invalid ones rejected with their line and reason, resent ones ignored,
/// conflicting ones rejected, voids matched to their payments.
///
/// It works on runs of records: the store is asked once per run what it knows of the
/// run's transaction ids, and the run's decisions are written in one call. What this file
/// booked in earlier runs is in the store by then; what the current run books is kept
/// here until it is written, so a void later in the same run finds its payment.
struct RecordJudge {
    let kioskID: KioskID
    let location: String
    let fileID: RowID
    let fileName: String
    let claimTypes: ClaimTypeMapping
    let limits: IdentifierLimits
    /// `[intake]` for this file: its records' times against its `created at`, and amounts.
    let plausibility: FilePlausibility
    let at: Instant

    private(set) var tally = FileTally()
    /// The first ``problemsKept`` refused records' reasons; all of them are in the store.
    private(set) var problems: [String] = []
    /// However many records a file refuses, memory, output and the notes file hold this many reasons.
    static let problemsKept = 1000
    /// D amounts minus V amounts, as the trailer states them.
    private(set) var signedSum = Amount.zero

    init(kioskID: KioskID, location: String, fileID: RowID, fileName: String, claimTypes: ClaimTypeMapping,
         limits: IdentifierLimits, plausibility: FilePlausibility, at: Instant) {
        self.kioskID = kioskID
        self.location = location
        self.fileID = fileID
        self.fileName = fileName
        self.claimTypes = claimTypes
        self.limits = limits
        self.plausibility = plausibility
        self.at = at
    }

    /// The transaction ids the store must be asked about for a run: each record's own id,
    /// and the payment each void names.
    static func lookups(_ entries: [KioskFileEntry]) -> Set<String> {
        var ids = Set<String>()
        for entry in entries {
            switch entry {
            case .payment(let fields, _): ids.insert(fields.transactionID)
            case .void(let fields, _):
                ids.insert(fields.voidID)
                ids.insert(fields.voidsTransactionID)
            case .unusable: break
            }
        }
        return ids
    }

    /// Decides a run of records. `known` is what the store holds under the run's ids.
    mutating func judge(_ entries: [KioskFileEntry], known: [String: KnownTransaction]) -> FileBookings {
        var run = Run(bookings: FileBookings(fileID: fileID, at: at), known: known)
        // Every payment booked adds its id to both tables and itself to the run's payments:
        // each is sized once for the run, not grown by doubling.
        run.known.reserveCapacity(known.count + entries.count)
        run.bookedHere.reserveCapacity(entries.count)
        run.bookings.payments.reserveCapacity(entries.count)
        for entry in entries {
            tally.records += 1
            switch entry {
            case .payment(let fields, let place):
                signedSum += fields.amount
                take(fields, at: place, into: &run)
            case .void(let fields, let place):
                signedSum -= fields.amount
                take(fields, at: place, into: &run)
            case .unusable(let problem, let summary):
                signedSum += summary.recordType == .void ? -(summary.amount ?? .zero) : (summary.amount ?? .zero)
                reject(summary, problem, into: &run)
            }
        }
        return run.bookings
    }

    /// The decisions of one run, and what the run itself booked so far.
    private struct Run {
        var bookings: FileBookings
        var known: [String: KnownTransaction]
        /// Payments booked in this run, by transaction id: their index in `bookings.payments`.
        var bookedHere: [String: Int] = [:]
        var voidedHere: Set<Int> = []

        /// What is booked under `id`, in the store or earlier in this run.
        func existing(_ id: String) -> BookedTransaction? { known[id]?.booked }

        /// The payment a void names: its target state and where it is.
        func target(_ id: String) -> (VoidTarget, NewVoid.Target)? {
            if let index = bookedHere[id] {
                let payment = bookings.payments[index].record
                return (VoidTarget(amount: payment.amount, isVoided: voidedHere.contains(index), isExported: false), .booked(index: index))
            }
            guard let stored = known[id]?.payment else { return nil }
            return (stored.target, .stored(stored.rowID))
        }
    }

    private mutating func take(_ fields: PaymentFields, at place: RecordLocation, into run: inout Run) {
        switch fields.validated(claimTypes: claimTypes, limits: limits, line: place.line, column: place.column, xml: place.xml) {
        case .failure(let problem):
            reject(RecordSummary(fields), problem, into: &run)
        case .success(let payment):
            if let problem = plausibility.check(payment, line: place.line, column: place.column, xml: place.xml) {
                return reject(RecordSummary(fields), problem, into: &run)
            }
            switch TransactionRules.judge(payment, line: place.line, column: place.column, xml: place.xml,
                                          existing: run.existing(payment.transactionID)) {
            case .book:
                let debtorCode = claimTypes.debtorCode(for: payment.claimType) ?? payment.claimType
                run.bookedHere[payment.transactionID] = run.bookings.payments.count
                run.bookings.payments.append(NewPayment(record: payment, kioskID: kioskID, location: location,
                                                        debtorClaimType: debtorCode, line: place.line))
                run.known[payment.transactionID] = KnownTransaction(
                    booked: .payment(payment, source: "\(fileName) line \(place.line)"), payment: nil)
                tally.paymentsBooked += 1
                tally.paymentsSum += payment.amount
            case .duplicate:
                run.bookings.duplicates.append(DuplicateRecord(kioskID: kioskID, transactionID: payment.transactionID, line: place.line))
                tally.recordsDuplicate += 1
            case .reject(let problem):
                reject(RecordSummary(fields), problem, into: &run)
            }
        }
    }

    private mutating func take(_ fields: VoidFields, at place: RecordLocation, into run: inout Run) {
        switch fields.validated(line: place.line, column: place.column, xml: place.xml) {
        case .failure(let problem):
            reject(RecordSummary(fields), problem, into: &run)
        case .success(let void):
            if let problem = plausibility.check(void, line: place.line, column: place.column, xml: place.xml) {
                return reject(RecordSummary(fields), problem, into: &run)
            }
            let target = run.target(void.voidsTransactionID)
            let verdict = TransactionRules.judge(void, line: place.line, column: place.column, xml: place.xml,
                                                 existing: run.existing(void.voidID), target: target?.0)
            switch verdict {
            case .cancelPayment, .reversePayment:
                guard let (_, location) = target else { return }
                run.bookings.voids.append(NewVoid(record: void, kioskID: kioskID, target: location,
                                                  effect: verdict == .reversePayment ? .reversal : .cancel, line: place.line))
                run.known[void.voidID] = KnownTransaction(booked: .void(void, source: "\(fileName) line \(place.line)"), payment: nil)
                if case .booked(let index) = location { run.voidedHere.insert(index) }
                if case .stored = location, let stored = run.known[void.voidsTransactionID] {
                    run.known[void.voidsTransactionID] = KnownTransaction(booked: stored.booked, payment: stored.payment.map {
                        StoredPaymentState(rowID: $0.rowID, target: VoidTarget(amount: $0.target.amount, isVoided: true,
                                                                               isExported: $0.target.isExported))
                    })
                }
                tally.voidsBooked += 1
            case .duplicate:
                run.bookings.duplicates.append(DuplicateRecord(kioskID: kioskID, transactionID: void.voidID, line: place.line))
                tally.recordsDuplicate += 1
            case .reject(let problem):
                reject(RecordSummary(fields), problem, into: &run)
            }
        }
    }

    private mutating func reject(_ summary: RecordSummary, _ problem: IntakeProblem, into run: inout Run) {
        run.bookings.rejected.append(RejectedRecord(summary: summary.bounded, problem: problem, kioskID: kioskID.value, wholeFile: false))
        tally.recordsRejected += 1
        if summary.recordType == .payment, let amount = summary.amount { tally.rejectedSum += amount }
        if problems.count < Self.problemsKept { problems.append(problem.description) }
    }
}
