import KioskBridgeCore

/// The plain-text notes an operator finds beside a refused file or an archived file
/// with refused records.
enum RejectionNotes {
    static func file(name: String, at: Instant, sha256: String, reason: String) -> String {
        """
        kioskbridge rejected this file as a whole. Nothing from it was booked.

        File:     \(name)
        Received: \(Timestamp.format(at))
        SHA-256:  \(sha256)
        Reason:   \(reason)

        Correct the file (or ask the kiosk vendor to) and drop it into the inbox again;
        it will be judged afresh.

        """
    }

    static func records(file: String, at: Instant, problems: [String], omitted: Int = 0) -> String {
        """
        kioskbridge accepted \(file) on \(Timestamp.format(at)) except for the records below,
        which were rejected one by one and not booked. A corrected record may be sent again
        with the same transaction id.

        """ + problems.map { "- \($0)\n" }.joined() + (omitted > 0 ? omittedLine(omitted) + "\n" : "")
    }

    /// Said wherever a file's refused records are listed and more were refused than are listed.
    static func omittedLine(_ omitted: Int) -> String {
        "- and \(BoundedText.grouped(omitted)) more refused record(s), not listed here; the desk's day page and `kioskbridge receipt` show each"
    }

    static func irregularEntry(_ entry: IrregularEntry, at: Instant) -> String {
        """
        kioskbridge did not read this entry and booked nothing from it: \(entry.kind.description),
        not a regular file. The inbox takes regular files only; it was moved here as it was
        (a link as a link: what it points at was neither read nor moved).

        Entry:    \(entry.name)
        Is:       \(entry.what)
        Found:    \(Timestamp.format(at))

        If it stands for a kiosk file, drop the file itself into the inbox.

        """
    }
}
