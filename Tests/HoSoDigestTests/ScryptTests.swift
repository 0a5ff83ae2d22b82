import Foundation
import HoSoDigest
import HoSoTestSupport
import Testing

@Suite struct ScryptTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// RFC 7914 §12, the first two test vectors.
    @Test func theRFCsVectors() throws {
        let empty = try Scrypt.derive(password: [UInt8](), salt: [UInt8](), cost: .init(n: 16, r: 1, p: 1), length: 64)
        #expect(Self.hex(empty) == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
        let nacl = try Scrypt.derive(password: Array("password".utf8), salt: Array("NaCl".utf8), cost: .init(n: 1024, r: 8, p: 16), length: 64)
        #expect(Self.hex(nacl) == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    /// At the cost passwords are stored with, a Vietnamese password and a random salt give what Python's
    /// hashlib gives.
    @Test func thePasswordCost_agreesWithPython() async throws {
        let password = "Mật khẩu: Bộ phận Một cửa 2026!", salt = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let ours = try Scrypt.derive(password: Array(password.utf8), salt: salt, cost: .passwords, length: 32)
        let python = try await ExternalTool.run("python3", ["-c", """
            import hashlib, sys
            print(hashlib.scrypt(sys.argv[1].encode(), salt=bytes.fromhex(sys.argv[2]), n=32768, r=8, p=1, maxmem=64 << 20, dklen=32).hex())
            """, password, Self.hex(salt)])
        #expect(python.status == 0, "\(python.output)")
        #expect(python.output.trimmingCharacters(in: .whitespacesAndNewlines) == Self.hex(ours))
    }

    @Test func aCostThatIsNotAPowerOfTwo_isRefused() {
        #expect(throws: Scrypt.Refused.self) { try Scrypt.derive(password: [UInt8](1...8), salt: [UInt8](1...8), cost: .init(n: 1000, r: 8, p: 1), length: 32) }
    }
}

@Suite struct PasswordHashTests {
    @Test func aHash_matchesItsPasswordOnly_andSurvivesItsText() throws {
        let hash = try PasswordHash.make("Mật khẩu đúng")
        #expect(hash.matches("Mật khẩu đúng"))
        #expect(!hash.matches("Mật khẩu sai") && !hash.matches("") && !hash.matches("mật khẩu đúng"))
        let again = try PasswordHash(encoded: hash.encoded)
        #expect(again == hash && again.matches("Mật khẩu đúng"))
        #expect(hash.encoded.hasPrefix("scrypt$32768$8$1$"))
        #expect(!"\(hash)".contains(hash.encoded.split(separator: "$").last!), "its description never shows the key")
        #expect(try PasswordHash.make("Mật khẩu đúng").salt != hash.salt, "a new salt each time")
    }

    /// A hash Python's hashlib made (scrypt, the same text form) is read and checked: the form is not
    /// HoSo's alone.
    @Test func aHashPythonMade_isRead() async throws {
        let made = try await ExternalTool.run("python3", ["-c", """
            import base64, hashlib, os
            salt = os.urandom(16)
            key = hashlib.scrypt('thư ký'.encode(), salt=salt, n=1024, r=8, p=1, dklen=32)
            b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip('=')
            print(f'scrypt$1024$8$1${b64(salt)}${b64(key)}')
            """])
        #expect(made.status == 0, "\(made.output)")
        let hash = try PasswordHash(encoded: made.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(hash.matches("thư ký") && !hash.matches("thu ky"))
    }

    @Test func textThatIsNotAHash_isRefused() {
        for text in ["", "scrypt$1$2$3", "bcrypt$2b$10$abc", "scrypt$x$8$1$c2FsdA$a2V5", "scrypt$1024$8$1$$"] {
            #expect(throws: PasswordHash.Invalid.self, "\(text)") { try PasswordHash(encoded: text) }
        }
    }
}
