import Foundation
import HoSoTestSupport
import Testing

/// `hoso users` through the real binary: passwords from a file (there is no terminal here), stored as
/// scrypt hashes Python's hashlib verifies.
@Suite struct UsersCommandTests {
    let work: URL
    let data: URL

    init() async throws {
        work = try makeTemporaryDirectory("users")
        data = work.appendingPathComponent("data")
        try #require(try await HoSoProcess.run(["init", "--data", data.path], in: work).status == 0)
    }

    func users(_ arguments: [String]) async throws -> HoSoProcess.Result {
        try await HoSoProcess.run(["users"] + arguments + ["--data", data.path], in: work)
    }

    func passwordFile(_ password: String) throws -> String {
        let file = work.appendingPathComponent("pw-\(UUID())")
        try (password + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func addListDisableReset_andTheHashIsScrypt() async throws {
        let password = "Mật khẩu văn thư 2026"
        let added = try await users(["add", "lan.nguyen", "--role", "office", "--agency", "000.00.14.H27", "--password-file", try passwordFile(password)])
        #expect(added.status == 0 && added.stdout.contains("added lan.nguyen"), "\(added.stderr)")

        let listed = try await users(["list", "--json"])
        let lines = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(lines.count == 1 && lines[0]["name"] as? String == "lan.nguyen" && lines[0]["agency"] as? String == "000.00.14.H27")
        #expect(!listed.stdout.contains("scrypt"), "list never shows a hash")

        // The stored hash is scrypt, and Python's hashlib agrees it is this password's.
        let check = try await ExternalTool.run("/usr/bin/python3", ["-c", """
            import sqlite3, hashlib, base64, hmac, sys
            row = sqlite3.connect(sys.argv[1]).execute("SELECT password_hash FROM users WHERE name = 'lan.nguyen'").fetchone()[0]
            _, n, r, p, salt, key = row.split("$")
            unb64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
            derived = hashlib.scrypt(sys.argv[2].encode(), salt=unb64(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26, dklen=len(unb64(key)))
            print("match" if hmac.compare_digest(derived, unb64(key)) else "differ")
            """, data.appendingPathComponent("catalog.sqlite").path, password])
        #expect(check.output.trimmingCharacters(in: .whitespacesAndNewlines) == "match", "\(check.output)")

        #expect(try await users(["reset-password", "lan.nguyen", "--password-file", try passwordFile("một mật khẩu mới")]).status == 0)
        #expect(try await users(["disable", "lan.nguyen"]).status == 0)
        let again = try await users(["disable", "lan.nguyen"])
        #expect(again.status == 66 && again.stderr.contains("no enabled user is named lan.nguyen"), "\(again.stderr)")
        let after = try #require(try JSONSerialization.jsonObject(with: Data(try await users(["list", "--json"]).stdout.utf8)) as? [[String: Any]])
        #expect(after.first?["disabledAt"] is String, "\(after)")
    }

    @Test func badInput_isOneLineWithItsOwnExitCode() async throws {
        let good = try passwordFile("một mật khẩu đủ dài")
        #expect(try await users(["add", "an", "--role", "auditor", "--password-file", good]).status == 0)
        let taken = try await users(["add", "an", "--role", "auditor", "--password-file", good])
        #expect(taken.status == 65 && taken.stderr.contains("a user named an exists already"), "\(taken.stderr)")
        let badName = try await users(["add", "Lan Nguyen", "--role", "office", "--password-file", good])
        #expect(badName.status == 64 && badName.stderr.contains("user name has 'L' at position 1"), "\(badName.stderr)")
        let badRole = try await users(["add", "lan", "--role", "boss", "--password-file", good])
        #expect(badRole.status == 64 && badRole.stderr.contains("--role must be one of"), "\(badRole.stderr)")
        let badAgency = try await users(["add", "lan", "--role", "office", "--agency", "H27", "--password-file", good])
        #expect(badAgency.status == 64 && badAgency.stderr.contains("--agency: agency code has 1 dot-separated levels"), "\(badAgency.stderr)")
        let short = try await users(["add", "lan", "--role", "office", "--password-file", try passwordFile("ngan")])
        #expect(short.status == 65 && short.stderr.contains("password is 4 characters; at least 10 are needed"), "\(short.stderr)")
        let missing = try await users(["add", "lan", "--role", "office", "--password-file", "/nonexistent/pw"])
        #expect(missing.status == 66 && missing.stderr.contains("/nonexistent/pw: cannot be read"), "\(missing.stderr)")
        let noTerminal = try await users(["add", "lan", "--role", "office"])
        #expect(noTerminal.status == 64 && noTerminal.stderr.contains("no terminal to ask the password on: give --password-file"), "\(noTerminal.stderr)")
        let unknown = try await users(["reset-password", "nobody", "--password-file", good])
        #expect(unknown.status == 66 && unknown.stderr.contains("no user is named nobody"), "\(unknown.stderr)")
        #expect(try await users(["list", "--json"]).stdout.contains("\"an\""), "only the good one was added")
    }
}
