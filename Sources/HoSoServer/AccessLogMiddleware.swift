import HoSoCore
import Hummingbird
import Logging

/// One access line per request, once it is answered: method, path, status, milliseconds, who called and
/// the request ID (the one a problem's `instance` names), at `info`. The query is left out: it can hold a
/// search for a citizen's name or ID number.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = HoSoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context, status: response.status.code, since: started)
            return response
        } catch let error as HTTPResponseError {
            log(request, context, status: error.status.code, since: started)
            throw error
        } catch {
            log(request, context, status: 500, since: started)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        let shown = ((ContinuousClock.now - started).inSeconds * 10_000).rounded() / 10
        let actor = context.seen.actor.withLock { $0 } ?? "-"
        context.logger.info("\(request.method) \(request.uri.path) \(status) \(shown) ms", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(status)", "ms": "\(shown)",
            "actor": "\(actor)", "request_id": "\(context.id)",
        ])
    }
}
