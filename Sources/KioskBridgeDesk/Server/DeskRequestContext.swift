import Hummingbird
import NIOCore

/// What each desk request carries besides the request: its session (from the store, put
/// there by ``DeskSessionMiddleware``) and the peer's address (login attempts are counted
/// per address).
struct DeskRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var session: DeskSessionData?
    let peer: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        session = nil
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
