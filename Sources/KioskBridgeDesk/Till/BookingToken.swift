import Crypto
import Foundation
import KioskBridgeCore
import KioskBridgeRuntime

/// The one-time token of a till payment's confirmation form.
///
/// The preview hands out `<issued ms>.<nonce>.<signature>`: the signature, keyed with the
/// session's own form token, covers the issue time and every field of the payment, so the
/// confirmation books exactly what the preview showed, in the same session, within
/// ``lifetime``. The nonce is the booking's key in the store: a second submit of the same
/// form (a double click, a reload) finds the payment already booked and books nothing.
struct BookingToken: Sendable, Hashable {
    static let lifetimeMilliseconds = 30 * 60 * 1000

    let issuedAt: Instant
    let nonce: String

    enum Problem: Error, Equatable {
        case malformed, tampered, stale
    }

    static func issue(for draft: TillDraft, session: DeskSessionData, at now: Instant) -> String {
        let nonce = DeskSessions.randomHex()
        return "\(now.millisecondsSinceEpoch).\(nonce).\(signature(draft, issued: now.millisecondsSinceEpoch, nonce: nonce, key: session.formToken))"
    }

    static func check(_ text: String, for draft: TillDraft, session: DeskSessionData, at now: Instant) -> Result<BookingToken, Problem> {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count == 3, let issued = Int(pieces[0]), DeskSessions.isWellFormed(pieces[1]) else { return .failure(.malformed) }
        let expected = signature(draft, issued: issued, nonce: pieces[1], key: session.formToken)
        guard Array(expected.utf8).count == Array(pieces[2].utf8).count,
              zip(expected.utf8, pieces[2].utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return .failure(.tampered) }
        guard now.millisecondsSinceEpoch - issued <= lifetimeMilliseconds, issued <= now.millisecondsSinceEpoch + 60_000 else {
            return .failure(.stale)
        }
        return .success(BookingToken(issuedAt: Instant(millisecondsSinceEpoch: issued), nonce: pieces[1]))
    }

    private static func signature(_ draft: TillDraft, issued: Int, nonce: String, key: String) -> String {
        let fields = [String(issued), nonce, draft.till.id, draft.payer.digits, draft.claimType, String(draft.amount.ore), draft.tender,
                      draft.reference ?? "", draft.note ?? ""]
        let message = Array(fields.joined(separator: "\u{1F}").utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(key.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
