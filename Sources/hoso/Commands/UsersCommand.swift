import ArgumentParser
import Foundation
import HoSoCatalog
import HoSoCore
import HoSoDigest

/// `hoso users`: the people who sign in to the web pages.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Add, list, disable users of the web pages, and reset their passwords.",
        discussion: """
            A user has a role as tokens do (station, office, workflow, auditor, admin) and, with --agency, \
            sees and changes only the cases that agency or its units resolve. Passwords are asked on the \
            terminal (hidden, twice) or read from the first line of --password-file; they are stored only \
            as scrypt hashes. Disabling a user or resetting a password ends the user's sessions.

            Example:
              hoso users add lan.nguyen --role office --agency 000.00.14.H27
            """,
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Login name: a-z, 0-9, and . - _ after the first character.") var name: String
        @Option(help: ArgumentHelp("station, office, workflow, auditor or admin.", valueName: "role")) var role: String
        @Option(help: ArgumentHelp("Agency code the user is scoped to (e.g. 000.00.14.H27).", valueName: "code")) var agency: String?
        @Option(name: .customLong("password-file"), help: ArgumentHelp("File whose first line is the password.", valueName: "file"))
        var passwordFile: String?

        func validate() throws {
            _ = try UserArguments.name(name)
            _ = try UserArguments.role(role)
            _ = try agency.map(parseAgencyOption)
        }

        func run() async throws {
            try await reportingFailures {
                let userName = try UserArguments.name(name)
                let hash = try await UserArguments.newPasswordHash(for: userName, file: passwordFile)
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                do {
                    _ = try await catalog.createUser(User(name: userName, role: try UserArguments.role(role),
                                                          agency: try agency.map(parseAgencyOption), passwordHash: hash, createdAt: Date()))
                } catch CatalogError.userNameTaken(let taken) {
                    throw CommandFailure(.dataError, "a user named \(taken) exists already (names are never reused, even once disabled)")
                }
                print("added \(userName)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users (names, roles, agencies, dates; never a password).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingFailures {
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                struct Line: Encodable {
                    let name: String, role: String, agency: String?, createdAt: String, passwordChangedAt: String, disabledAt: String?
                }
                let lines = try await catalog.users().map {
                    Line(name: $0.name.rawValue, role: $0.role.rawValue, agency: $0.agency?.rawValue, createdAt: VietnamTime.rfc3339($0.createdAt),
                         passwordChangedAt: VietnamTime.rfc3339($0.passwordChangedAt), disabledAt: $0.disabledAt.map(VietnamTime.rfc3339))
                }
                if json { return try Output.json(lines) }
                Output.table(["NAME", "ROLE", "AGENCY", "CREATED", "PASSWORD SET", "DISABLED"],
                             lines.map { [$0.name, $0.role, $0.agency ?? "-", $0.createdAt, $0.passwordChangedAt, $0.disabledAt ?? "-"] })
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no more sign-ins, and their sessions end at once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name.") var name: String

        func run() async throws {
            try await reportingFailures {
                let userName = try UserArguments.name(name)
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                guard try await catalog.disableUser(userName, at: Date()) else {
                    throw CommandFailure(.noInput, "no enabled user is named \(userName)")
                }
                print("disabled \(userName)")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password",
                                                        abstract: "Set a user's password; their sessions end at once.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name.") var name: String
        @Option(name: .customLong("password-file"), help: ArgumentHelp("File whose first line is the password.", valueName: "file"))
        var passwordFile: String?

        func run() async throws {
            try await reportingFailures {
                let userName = try UserArguments.name(name)
                let hash = try await UserArguments.newPasswordHash(for: userName, file: passwordFile)
                let catalog = try await global.openCatalog(try global.loadConfiguration())
                guard try await catalog.setPassword(of: userName, hash: hash, at: Date()) else {
                    throw CommandFailure(.noInput, "no user is named \(userName)")
                }
                print("password reset for \(userName)")
            }
        }
    }
}

/// The `users` subcommands' arguments, read the same way by each.
enum UserArguments {
    static func name(_ text: String) throws -> UserName {
        do { return try UserName(parsing: text) } catch { throw ValidationError("NAME: \(error)") }
    }

    static func role(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else {
            throw ValidationError("--role must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return role
    }

    /// The password from the file's first line, or asked twice on the terminal; checked against the policy.
    static func password(for user: UserName, file: String?) throws -> String {
        let password: String
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CommandFailure(.noInput, "\(file): cannot be read")
            }
            password = String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        } else {
            guard let first = SecretPrompt.ask("Password for \(user): ") else {
                throw CommandFailure(.usage, "no terminal to ask the password on: give --password-file FILE")
            }
            guard SecretPrompt.ask("Again: ") == first else { throw CommandFailure(.dataError, "the two passwords differ") }
            password = first
        }
        do { try PasswordPolicy.check(password, for: user) } catch {
            throw CommandFailure(.dataError, "\(file ?? "password"): \(error)")
        }
        return password
    }

    /// The new password (from the file, or asked) as its scrypt hash, computed on a thread of its own
    /// (32 MiB and a tenth of a second of work).
    static func newPasswordHash(for user: UserName, file: String?) async throws -> String {
        let password = try password(for: user, file: file)
        return try await offThread(throwing: { try PasswordHash.make(password).encoded })
    }
}
