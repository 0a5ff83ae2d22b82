import Hummingbird
import HoSoCore
import NIOCore
import Synchronization

/// What a request carries through the middleware to its handler: who called (after the bearer token
/// is checked), besides Hummingbird's own state.
public struct HoSoRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Who called (a token, or a signed-in person); nil until authenticated, and for public endpoints.
    public var caller: Caller? {
        didSet { seen.actor.withLock { $0 = caller?.actor } }
    }

    /// The caller as the access log reads it once the handler is done: the handler's copy of the context
    /// is not the middleware's; this box is shared by both.
    let seen = SeenCaller()

    /// The address the request came from (the login throttle counts failures per address).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// JSON request bodies; PDFs and scans are read with their own limits.
    public var maxUploadSize: Int { 256 * 1024 }

    /// Who the trail records for this caller.
    var actor: String { caller?.actor ?? "anonymous" }
}

/// Who a request turned out to be from, written by whichever copy of its context authenticated it.
final class SeenCaller: Sendable {
    let actor = Mutex<String?>(nil)
}
