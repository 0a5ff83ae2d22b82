import Foundation
import HoSoCatalog
import Hummingbird

/// An error answer as RFC 9457 `application/problem+json`: an HTTP status, a stable `code` clients
/// can switch on, a title and a one-line detail naming the field or file and the reason, and extra
/// members (the verification report, the return gate's reasons). Never a stack trace.
public struct Problem: Error, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let detail: String
    /// Extra members, each already JSON.
    var members: [(String, Data)] = []
    /// Seconds a client should wait before trying again (`Retry-After`), for answers about a passing state.
    var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    /// Adds a member encoded as JSON.
    func with<T: Encodable>(_ name: String, _ value: T) -> Problem {
        var copy = self
        if let data = try? JSON.encoder.encode(value) { copy.members.append((name, data)) }
        return copy
    }

    /// A 503 for something this node depends on that does not answer now (the catalog's server, the blob
    /// store): the client may try again after `Retry-After`, here or on another node.
    static func unavailable(_ code: String, _ detail: String, retryAfter seconds: Int = 5) -> Problem {
        var problem = Problem(.serviceUnavailable, code, detail)
        problem.retryAfter = seconds
        return problem
    }

    /// Adds a member that is JSON already.
    func with(_ name: String, json: Data) -> Problem {
        var copy = self
        copy.members.append((name, json))
        return copy
    }

    func response(requestID: String) -> Response {
        struct Head: Encodable {
            let type: String, title: String, status: Int, detail: String, code: String, instance: String
        }
        let head = Head(type: "https://hoso.invalid/problems/\(code)", title: status.reasonPhrase, status: status.code,
                        detail: detail, code: code, instance: "urn:request:\(requestID)")
        var body = (try? JSON.encoder.encode(head)) ?? Data("{}".utf8)
        if !members.isEmpty {
            body.removeLast()  // the closing brace
            for (name, value) in members {
                body.append(contentsOf: Array(",".utf8))
                body.append((try? JSON.encoder.encode(name)) ?? Data("\"\"".utf8))
                body.append(contentsOf: Array(":".utf8))
                body.append(value)
            }
            body.append(contentsOf: Array("}".utf8))
        }
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        // RFC 6750: a 401 says which scheme would be accepted.
        if status == .unauthorized { headers[.wwwAuthenticate] = #"Bearer realm="hoso""# }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: body)))
    }
}

/// Turns whatever a handler throws into a problem answer, logs it with the request ID, and adds the
/// request ID to every answer.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = HoSoRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem {
            if problem.status.code >= 500 { context.logger.error("\(problem.code): \(problem.detail)") }
            response = problem.response(requestID: context.id)
        } catch CatalogError.unavailable(let url, let reason) {
            // The shared catalog's server is gone or every connection is busy: not this request's fault.
            context.logger.error("catalog_unavailable: \(url): \(reason)")
            response = Problem.unavailable("catalog_unavailable", "the catalog does not answer: \(url): \(reason)").response(requestID: context.id)
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "body_too_large"
            case .methodNotAllowed: "method_not_allowed"
            case .badRequest: "bad_request"
            default: "http_\(error.status.code)"
            }
            let detail = error.body ?? (error.status == .notFound ? "\(request.uri.path): no such endpoint" : error.status.reasonPhrase)
            response = Problem(error.status, code, detail).response(requestID: context.id)
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: error))")
            response = Problem(.internalServerError, "internal_error", "the server failed; the request ID is in its log")
                .response(requestID: context.id)
        }
        response.headers[.init("X-Request-ID")!] = context.id
        return response
    }
}
