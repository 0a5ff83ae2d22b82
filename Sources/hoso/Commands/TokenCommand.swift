import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore
import HoSoServer

/// `hoso token`: the API's bearer tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke the HTTP API's bearer tokens.",
        discussion: """
            A token is shown once, when created, and stored only as its SHA-256. Roles: station (upload \
            scans), office (sign-related reads), workflow (register, attach, return), auditor \
            (read-only), admin.

            Example:
              TOKEN=$(hoso token create --role workflow --name mot-cua-server)
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a token and print it, alone, on stdout.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("station, office, workflow, auditor or admin.", valueName: "role"))
        var role: String
        @Option(help: ArgumentHelp("Who holds it, unique (e.g. mot-cua-server, scan-01).", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("Agency code the token is scoped to: it sees and changes only the cases that agency or its units resolve.",
                                   valueName: "code"))
        var agency: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.:".contains($0) }) else {
                throw ValidationError("--name: 1 to 100 letters, digits, - _ . or :")
            }
            _ = try agency.map(parseAgencyOption)
        }

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let catalog = try await global.openCatalog(configuration)
                let token = BearerToken.make()
                do {
                    _ = try await catalog.createToken(APIToken(name: name, role: Role(rawValue: role)!, agency: try agency.map(parseAgencyOption),
                                                               tokenHash: BearerToken.hash(token), createdAt: Date()))
                } catch CatalogError.tokenNameTaken(let name) {
                    throw CommandFailure(.dataError, "a token named \(name) exists already (revoke it, or choose another name)")
                }
                print(token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (names, roles, dates; never the tokens).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                let tokens = try await catalog.tokens()
                struct Line: Encodable {
                    let name: String, role: String, agency: String?, createdAt: String, revokedAt: String?
                }
                let lines = tokens.map { Line(name: $0.name, role: $0.role.rawValue, agency: $0.agency?.rawValue, createdAt: VietnamTime.rfc3339($0.createdAt),
                                              revokedAt: $0.revokedAt.map(VietnamTime.rfc3339)) }
                if json { return try Output.json(lines) }
                Output.table(["NAME", "ROLE", "AGENCY", "CREATED", "REVOKED"],
                             lines.map { [$0.name, $0.role, $0.agency ?? "-", $0.createdAt, $0.revokedAt ?? "-"] })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name; requests with it get 401 within a second.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            try await reportingFailures {
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                guard try await catalog.revokeToken(name: name, at: Date()) else {
                    throw CommandFailure(.noInput, "no live token is named \(name)")
                }
                print("revoked \(name)")
            }
        }
    }
}
