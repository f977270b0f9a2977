import Hummingbird
import HummingbirdAuth
import NIOCore

/// What each desk request carries besides the request: its session and the peer's address
/// (login attempts are counted per address).
struct DeskRequestContext: SessionRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    let sessions: SessionContext<DeskSessionData>
    let peer: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sessions = .init()
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
