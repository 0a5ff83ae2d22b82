import Foundation
import HoSoTestSupport

/// A browser's side of the web pages without a browser: curl with a cookie jar, redirects not followed,
/// so each answer's status, headers and cookies can be checked as they came.
struct WebClient {
    let base: String
    let jar: URL

    init(port: Int, folder: URL) {
        base = "http://127.0.0.1:\(port)"
        jar = folder.appendingPathComponent("cookies-\(UUID().uuidString).txt")
    }

    struct Page {
        let status: Int
        /// Header names in lowercase; a header sent twice (Set-Cookie) has each value.
        let headers: [String: [String]]
        let body: String

        func header(_ name: String) -> String? { headers[name]?.first }

        /// The value of the first `<input name="NAME" value="…">` on the page.
        func input(_ name: String) -> String? {
            guard let range = body.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else { return nil }
            return body[range].split(separator: "\"").dropFirst(3).first.map(String.init) ?? ""
        }

        func cookie(_ name: String) -> String? { headers["set-cookie"]?.first { $0.hasPrefix(name + "=") } }
    }

    func get(_ path: String, headers: [String] = []) async throws -> Page {
        try await send(["-H", "Accept-Language: vi"] + headers.flatMap { ["-H", $0] } + [base + path])
    }

    func post(_ path: String, _ fields: [(String, String)]) async throws -> Page {
        try await send(["--data", ""] + fields.flatMap { ["--data-urlencode", "\($0.0)=\($0.1)"] } + [base + path])
    }

    /// The body as bytes (a CSV, an image), with the status.
    func download(_ path: String) async throws -> (status: Int, bytes: Data) {
        let file = jar.deletingLastPathComponent().appendingPathComponent("download-\(UUID().uuidString)")
        let result = try await ExternalTool.run("curl", ["-s", "-b", jar.path, "-c", jar.path, "-o", file.path, "-w", "%{http_code}", base + path])
        return (Int(result.output) ?? 0, (try? Data(contentsOf: file)) ?? Data())
    }

    private func send(_ arguments: [String]) async throws -> Page {
        let result = try await ExternalTool.run("curl", ["-s", "-i", "--max-time", "60", "-b", jar.path, "-c", jar.path] + arguments)
        let parts = result.output.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: [String]] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased(), default: []].append(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Page(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Signs in through the login form; the page the sign-in answered.
    func signIn(_ user: String, _ password: String) async throws -> Page {
        let form = try await get("/ui/login")
        return try await post("/ui/login", [("_csrf", form.input("_csrf") ?? ""), ("username", user), ("password", password), ("next", "")])
    }
}
