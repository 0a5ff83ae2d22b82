import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest
import Hummingbird

/// The web pages under `/ui/`: server-rendered, plain forms that work without JavaScript, Vietnamese by
/// default. Every page is behind a session (`WebSessions`) and the role table (`WebPage`); every form
/// carries the session's CSRF token; every case the pages show passes the caller's agency scope through
/// the same catalog queries and checks as the API.
struct WebUI: Sendable {
    let api: HoSoAPI
    let templates = WebTemplates()
    let throttle = LoginThrottle()
    let overview = OverviewCache()
    let sessions: WebSessions

    init(api: HoSoAPI) {
        self.api = api
        sessions = WebSessions(catalog: api.catalog, idle: api.settings.sessionIdle, secure: api.settings.secureCookies)
    }

    /// What a signed-in request carries to its page.
    struct Visit {
        let user: User
        let session: UserSession
        let language: Language
        let form: FormFields?
        var caller: Caller { Caller(user) }
        var texts: [String: String] { Texts.of(language) }
    }

    typealias PageHandler = @Sendable (Request, HoSoRequestContext, Visit) async throws -> Response

    func register(on router: Router<HoSoRequestContext>) {
        router.get("/ui/style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: templates.styleSheet)))
        }
        router.get("/ui/login", use: loginPage)
        router.post("/ui/login", use: login)
        router.post("/ui/logout") { request, context in
            let form = try await FormFields.read(request)
            if let current = try await sessions.current(request), WebSessions.tokenMatches(form["_csrf"], current.session.csrfToken) {
                var response = Response(status: .seeOther, headers: [.location: "/ui/login"])
                response.setCookie(try await sessions.close(request))
                return response
            }
            return message(.forbidden, "expired", Language.of(request))
        }
        let handlers: [String: PageHandler] = [
            "GET /ui/": dashboard, "GET /ui/cases": casesPage, "GET /ui/cases/{id}": casePage,
            "GET /ui/cases/{id}/control-slip.pdf": { request, context, visit in
                try await api.controlSlip(Self.asking(request, "format=pdf&lang=\(visit.language.rawValue)"), context)
            },
            "GET /ui/documents/{sha}": { request, context, _ in try await api.getDocument(request, context) },
            "GET /ui/documents/{sha}/thumbnail": { request, context, _ in try await api.getThumbnail(request, context) },
            "GET /ui/quarantine": { request, _, visit in try await quarantinePage(request, visit, note: nil) },
            "POST /ui/quarantine": fixQuarantine,
            "GET /ui/quarantine/{qid}/thumbnail": { _, context, _ in try await quarantineBlob(context, pdf: false) },
            "GET /ui/quarantine/{qid}/preview": { _, context, _ in try await quarantineBlob(context, pdf: true) },
            "GET /ui/stations": stationsPage, "GET /ui/reports": reportsPage,
            "GET /ui/signers": signersPage, "POST /ui/signers": addSignerForm, "POST /ui/signers/remove": removeSignerForm,
            "GET /ui/reports/digitization.csv": { _, _, visit in try await digitizationTable(visit).response(.csv) },
            "GET /ui/reports/digitization.xlsx": { _, _, visit in try await digitizationTable(visit).response(.xlsx) },
            "GET /ui/reports/signed-not-returned.csv": { _, _, visit in try await forgottenReturnsTable(visit).response(.csv) },
            "GET /ui/reports/signed-not-returned.xlsx": { _, _, visit in try await forgottenReturnsTable(visit).response(.xlsx) },
            "GET /ui/reports/late-cases.csv": { _, _, visit in try await lateCasesTable(visit).response(.csv) },
            "GET /ui/reports/late-cases.xlsx": { _, _, visit in try await lateCasesTable(visit).response(.xlsx) },
        ]
        for page in WebPage.all {
            guard let handler = handlers["\(page.method) \(page.path)"] else { preconditionFailure("no handler for \(page.path)") }
            router.on(RouterPath(page.path), method: page.method) { request, context in
                try await guarded(page, request, context, handler)
            }
        }
    }

    /// Signs the request in (or sends it to the login page), checks the page's roles and, for a form, its
    /// CSRF token; then runs the page with the person as the caller.
    private func guarded(_ page: WebPage, _ request: Request, _ context: HoSoRequestContext, _ handler: PageHandler) async throws -> Response {
        let language = Language.of(request)
        guard let (session, user) = try await sessions.current(request) else {
            let asked = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            let next = asked.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return Response(status: .seeOther, headers: [.location: "/ui/login?next=\(next)"])
        }
        guard page.roles.contains(user.role) else { return message(.forbidden, "forbidden", language) }
        var form: FormFields?
        if page.method == .post {
            form = try await FormFields.read(request)
            guard WebSessions.tokenMatches(form?["_csrf"], session.csrfToken) else { return message(.forbidden, "expired", language) }
        }
        var context = context
        context.caller = Caller(user)
        var response: Response
        do {
            response = try await handler(request, context, Visit(user: user, session: session, language: language, form: form))
        } catch is BrokenPageLink {
            return message(.badRequest, "badCursor", language)
        }
        rememberLanguage(request, in: &response)
        return response
    }

    /// A page link's cursor that is not one this list gave out.
    struct BrokenPageLink: Error {}

    /// The cursor in a page link's `name` parameter, read by `parse` (the list's cursor type); nil when the
    /// link has none. A broken one stops the page: `guarded` says so in words, with a 400.
    static func pageLink<Cursor>(_ request: Request, _ name: String, _ parse: (String) throws(InvalidCursor) -> Cursor) throws(BrokenPageLink) -> Cursor? {
        guard let text = request.uri.queryParameters[Substring(name)].map(String.init) else { return nil }
        do { return try parse(text) } catch { throw BrokenPageLink() }
    }

    /// Keeps a language chosen with the switch (`?lang=`) for a year, in a cookie.
    private func rememberLanguage(_ request: Request, in response: inout Response) {
        if let chosen = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }) {
            response.setCookie(sessions.cookie(Language.cookie, chosen.rawValue, maxAge: 365 * 86_400))
        }
    }

    // MARK: Signing in

    @Sendable func loginPage(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        if try await sessions.current(request) != nil { return Response(status: .seeOther, headers: [.location: "/ui/"]) }
        return loginForm(request, status: .ok, error: nil, username: "", next: request.uri.queryParameters["next"].map(String.init))
    }

    /// The sign-in form, keeping the page that was asked for (`next`) through a failed attempt and a
    /// change of language.
    private func loginForm(_ request: Request, status: HTTPResponse.Status, error: String?, username: String, next: String?) -> Response {
        let language = Language.of(request)
        let token = BearerToken.randomText()
        var values = base(language, title: Texts.of(language)["signIn"]!)
        values["loginToken"] = token
        values["next"] = next ?? ""
        if let next, !next.isEmpty, let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
            values["langSuffix"] = "&next=" + encoded
        }
        values["error"] = error
        values["username"] = username
        var response = html(status, templates.render("login", values))
        response.setCookie(sessions.cookie(WebSessions.loginCookie, token))
        rememberLanguage(request, in: &response)
        return response
    }

    @Sendable func login(_ request: Request, _ context: HoSoRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        let texts = Texts.of(Language.of(request))
        let username = form["username"] ?? "", password = form["password"] ?? ""
        guard let expected = request.cookies[WebSessions.loginCookie]?.value, WebSessions.tokenMatches(form["_csrf"], expected) else {
            return loginForm(request, status: .forbidden, error: texts["expired"], username: username, next: form["next"])
        }
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        let now = Date()
        if let retry = throttle.retryAt(user: username, address: address, now: now) {
            let minutes = Int((retry.timeIntervalSince(now) / 60).rounded(.up))
            var response = loginForm(request, status: .tooManyRequests, error: "\(texts["throttled"]!) \(minutes) \(texts["minutes"]!).", username: username,
                                     next: form["next"])
            let seconds = Int(retry.timeIntervalSince(now).rounded(.up))
            response.headers[.retryAfter] = String(seconds)
            context.logger.warning("sign-in refused: throttled", metadata: ["user": .string(username), "address": .string(address)])
            return response
        }
        var user: User?
        if let name = try? UserName(parsing: username) { user = try await api.catalog.user(named: name) }
        // An unknown or disabled name costs the same scrypt as a known one: the answer's time tells nothing.
        let hash = user.flatMap { $0.disabledAt == nil ? $0.passwordHash : nil }
        let matches = await offThread { (try? PasswordHash(encoded: hash ?? Self.decoy))?.matches(password) ?? false }
        guard let user, user.disabledAt == nil, matches else {
            throttle.failed(user: username, address: address, at: now)
            context.logger.notice("sign-in refused: wrong name or password", metadata: ["user": .string(username), "address": .string(address)])
            return loginForm(request, status: .unauthorized, error: texts["wrongPassword"], username: username, next: form["next"])
        }
        throttle.succeeded(user: username)
        context.logger.notice("signed in", metadata: ["user": .string(user.name.rawValue), "address": .string(address)])
        let next = form["next"].flatMap { $0.hasPrefix("/ui/") && !$0.contains("//") && !$0.contains("\\") ? $0 : nil } ?? "/ui/"
        var response = Response(status: .seeOther, headers: [.location: next])
        response.setCookie(try await sessions.open(for: user))
        response.setCookie(sessions.cookie(WebSessions.loginCookie, "", maxAge: 0))
        return response
    }

    /// A hash no password matches, checked when the name is unknown (made once, off the pool, by the first
    /// such check).
    private static let decoy = (try? PasswordHash.make(BearerToken.randomText()).encoded) ?? ""

    // MARK: Rendering

    func base(_ language: Language, title: String) -> [String: Any] {
        ["lang": language.rawValue, "t": Texts.of(language), "title": title]
    }

    func page(_ visit: Visit, _ template: String, title key: String, _ values: [String: Any]) -> Response {
        var all = base(visit.language, title: visit.texts[key] ?? key)
        all["user"] = visit.user.name.rawValue
        all["role"] = visit.user.role.rawValue
        all["agency"] = visit.user.agency?.rawValue
        all["csrf"] = visit.session.csrfToken
        all["can"] = WebPage.menu(for: visit.user.role)
        all["nav"] = [key: true]
        all.merge(values) { $1 }
        return html(.ok, templates.render(template, all))
    }

    func message(_ status: HTTPResponse.Status, _ key: String, _ language: Language) -> Response {
        let texts = Texts.of(language)
        var values = base(language, title: texts[key] ?? key)
        values["message"] = texts[key]
        return html(status, templates.render("message", values))
    }

    func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                           .contentSecurityPolicy: "default-src 'self'; img-src 'self'; style-src 'self'; frame-ancestors 'none'",
                                           .xContentTypeOptions: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `request` with `query` in place of its own (a page answered by an API handler that reads it).
    static func asking(_ request: Request, _ query: String) -> Request {
        var head = request.head
        head.path = request.uri.path + "?" + query
        return Request(head: head, body: request.body)
    }
}
