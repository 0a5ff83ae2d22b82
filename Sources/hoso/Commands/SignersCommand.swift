import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore
import HoSoServer

/// `hoso signers`: the registry of who may sign results for which agency.
struct SignersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signers",
        abstract: "The signer registry: which certificates may sign results for which agency, in which role.",
        discussion: """
            A result opens a case's return gate only when its last signature is by a registered signer \
            of the agency that decides the case (its resolvingAgency, else the receiving agency in the \
            case ID). An entry matches the certificate's public key (a renewed certificate on the same \
            key still matches), or exactly the certificate (--match certificate), or — with --subject — \
            any certificate a CA issued whose subject has those attributes. Entries are removed, never \
            deleted; every change is on the registry's trail (hoso signers history).

            Example:
              hoso signers add --agency 000.00.14.H27 --cert so-tu-phap.pem --name "Con dấu Sở Tư pháp"
              hoso signers add --agency 000.00.00.H27 --include-subunits --cert ca-chinh-phu.pem --subject 'O=UBND tỉnh Thái Nguyên'
              hoso signers policy --agency 000.00.14.H27 --require leader,organization
            """,
        subcommands: [Add.self, List.self, Remove.self, Policy.self, History.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a certificate (or a CA and subject rule) for an agency.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The agency code (mã định danh), e.g. 000.00.14.H27.", valueName: "code"))
        var agency: String
        @Option(help: ArgumentHelp("The signer's certificate, PEM or DER (the issuing CA's with --subject).", valueName: "file"))
        var cert: String
        @Option(help: ArgumentHelp("organization (the seal) or leader.", valueName: "role"))
        var role: String = SignerRole.organization.rawValue
        @Option(help: ArgumentHelp("Words for people (default: the certificate's common name).", valueName: "text"))
        var name: String?
        @Option(name: .customLong("not-after"), help: ArgumentHelp("The entry stops matching after this day (YYYY-MM-DD) or time.", valueName: "date"))
        var notAfter: String?
        @Option(help: ArgumentHelp("key (default: any certificate on the same key) or certificate (exactly this one).", valueName: "how"))
        var match: String = "key"
        @Option(help: ArgumentHelp("A subject rule: attributes every admitted certificate has exactly, e.g. 'O=Sở Tư pháp,OU=Văn thư'.", valueName: "attributes"))
        var subject: String?
        @Flag(name: .customLong("include-subunits"), help: "Also cover the agencies below this one.")
        var includeSubunits = false
        @Flag(help: "Print the entry as JSON.") var json = false

        func validate() throws {
            guard SignerRole(rawValue: role) != nil else { throw ValidationError("--role must be organization or leader") }
            guard ["key", "certificate"].contains(match) else { throw ValidationError("--match must be key or certificate") }
            if let notAfter, SignersCommand.time(notAfter) == nil {
                throw ValidationError("--not-after: '\(notAfter)' is neither YYYY-MM-DD nor an RFC 3339 time")
            }
        }

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                guard let bytes = FileManager.default.contents(atPath: cert) else {
                    throw CommandFailure(.noInput, "--cert \(cert): cannot be read")
                }
                var enrolment = SignerEnrolment(agency: agency, certificate: Array(bytes))
                enrolment.role = SignerRole(rawValue: role)!
                enrolment.name = name
                enrolment.subjectAttributes = subject
                enrolment.exactCertificate = match == "certificate"
                enrolment.includeSubunits = includeSubunits
                enrolment.notAfter = notAfter.flatMap(SignersCommand.time)
                let entry: RegisteredSigner
                let actor = global.actor(configuration)
                do throws(SignerEnrolmentError) { entry = try enrolment.entry(by: actor, at: Date()) } catch {
                    let option = switch error.field {
                    case "agency": "--agency \(agency)"
                    case "certificate": "--cert \(cert)"
                    default: "--subject \(subject ?? "")"
                    }
                    throw CommandFailure(.dataError, "\(option): \(error)")
                }
                let catalog = try await global.openCatalog(configuration)
                let (stored, added) = try await catalog.addSigner(entry)
                if json { return try Output.json(SignerView(stored)) }
                print("\(added ? "added" : "already registered:") signer \(stored.id ?? 0) — \(stored.name), \(stored.role.rawValue) of \(stored.agency)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered signers with both SHA-256 they may match on.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("Only this agency's entries.", valueName: "code")) var agency: String?
        @Flag(help: "Include removed entries.") var removed = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                var signers = try await catalog.signers(includeRemoved: removed)
                if let agency {
                    let code: AgencyCode
                    do { code = try AgencyCode(parsing: agency) } catch { throw CommandFailure(.dataError, "--agency \(agency): \(error)") }
                    signers = signers.filter { $0.agency == code }
                }
                let views = signers.map(SignerView.init)
                if json { return try Output.json(views) }
                Output.table(["ID", "AGENCY", "ROLE", "NAME", "MATCH", "SUBJECT", "CERT SHA-256", "KEY SHA-256", "STATE"], views.map { view in
                    let scope = view.agency + (view.includeSubunits ? " (+units)" : "")
                    let match = view.match + (view.subjectAttributes.map { " " + $0.joined(separator: ",") } ?? "")
                    let state = view.removedAt.map { "removed \(Output.time($0)): \(view.removedReason ?? "")" }
                        ?? view.notAfter.map { "until \(Output.time($0))" } ?? "active"
                    return [String(view.id ?? 0), scope, view.role.rawValue, view.name, match, view.subject,
                            view.certificateSha256, view.keySha256, state]
                })
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an entry; the next attach sees it at once, results already attached keep their evidence.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's ID (hoso signers list).") var id: Int64
        @Option(help: ArgumentHelp("Why (kept on record).", valueName: "text")) var reason: String

        func validate() throws {
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must not be empty") }
        }

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let catalog = try await global.openCatalog(configuration)
                let removed = try await catalog.removeSigner(id, reason: reason, actor: global.actor(configuration), at: Date())
                print("removed signer \(id) — \(removed.name), \(removed.role.rawValue) of \(removed.agency)")
            }
        }
    }

    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or set the roles whose signatures an agency's results must all carry.",
            discussion: "--require leader,organization: both a leader and the seal must sign; --require none clears the policy.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The agency code.", valueName: "code")) var agency: String
        @Option(help: ArgumentHelp("Comma-separated roles (leader, organization), or none.", valueName: "roles")) var require: String?

        func run() async throws {
            try await reportingFailures {
                let configuration = try global.loadConfiguration()
                let code: AgencyCode
                do { code = try AgencyCode(parsing: agency) } catch { throw CommandFailure(.dataError, "--agency \(agency): \(error)") }
                let catalog = try await global.openCatalog(configuration)
                if let require {
                    let names = require == "none" ? [] : require.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    var roles: [SignerRole] = []
                    for name in names {
                        guard let role = SignerRole(rawValue: name) else {
                            throw CommandFailure(.usage, "--require: '\(name)' is not a role (leader, organization)")
                        }
                        if !roles.contains(role) { roles.append(role) }
                    }
                    try await catalog.setSignerPolicy(SignerPolicy(agency: code, requiredRoles: roles, setAt: Date(),
                                                                   setBy: global.actor(configuration)))
                }
                let policy = try await catalog.signerPolicy(for: code)
                print("\(code): " + (policy.map { "requires " + $0.requiredRoles.map(\.rawValue).joined(separator: " and ") }
                                     ?? "one signature by any registered signer"))
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The registry's trail: every entry added or removed, every policy set.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                let events = try await catalog.registryEvents()
                if json { return try Output.json(events) }
                Output.table(["TIME", "ACTOR", "KIND", "AGENCY", "SIGNER", "DETAILS"], events.map { event in
                    [Output.time(event.time), event.actor, event.kind.rawValue, event.agency, event.signerID.map(String.init) ?? "-",
                     event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")]
                })
            }
        }
    }

    /// `YYYY-MM-DD` as the end of that day in Vietnam, or an RFC 3339 time.
    static func time(_ text: String) -> Date? {
        if text.count == 10 { return RFC3339.parse(text + "T23:59:59+07:00") }
        return RFC3339.parse(text)
    }
}
