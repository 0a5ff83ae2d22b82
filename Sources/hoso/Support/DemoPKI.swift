import Foundation

/// A throwaway PKI for `hoso demo`, made with the openssl command: a root CA standing in for the
/// national root (Root CA của Bộ TT&TT), the office's organization certificate issued by it, and a
/// citizen's certificate under the same root, each in a PKCS#12 file the way a CA hands it over.
/// Nothing of it is meant for real signatures.
struct DemoPKI {
    let folder: URL
    let p12: URL
    /// The office's certificate, as `hoso signers add` registers it.
    let officeCertificate: URL
    /// A citizen's key and certificate: trusted by the same root, and no signer of any agency.
    let citizenP12: URL
    let passphrase = "demo-mat-khau"
    /// The folder holding the root certificate, for verification.
    let anchors: URL

    static let officeName = "UBND thị xã Từ Sơn - Văn phòng Đăng ký đất đai"
    static let citizenName = "Trần Thị Bình"

    init(in folder: URL) throws {
        self.folder = folder
        p12 = folder.appendingPathComponent("van-thu.p12")
        officeCertificate = folder.appendingPathComponent("office.pem")
        citizenP12 = folder.appendingPathComponent("citizen.p12")
        anchors = folder.appendingPathComponent("anchors")
        try FileManager.default.createDirectory(at: anchors, withIntermediateDirectories: true)
        let root = anchors.appendingPathComponent("demo-root.pem").path
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("root.key"), "-out", root, "-days", "3650",
                          "-utf8", "-subj", "/C=VN/O=HoSo Demo/CN=HoSo Demo Root CA",
                          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
            .write(toFile: file("signer.ext"), atomically: true, encoding: .utf8)
        for (name, subject, bundle) in [("office", "/C=VN/ST=Bắc Ninh/O=UBND thị xã Từ Sơn/CN=\(Self.officeName)", p12),
                                        ("citizen", "/C=VN/ST=Bắc Ninh/CN=\(Self.citizenName)", citizenP12)] {
            try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("\(name).key"), "-out", file("\(name).csr"),
                              "-utf8", "-subj", subject])
            try Self.openssl(["x509", "-req", "-in", file("\(name).csr"), "-CA", root, "-CAkey", file("root.key"), "-CAcreateserial",
                              "-days", "825", "-extfile", file("signer.ext"), "-out", file("\(name).pem")])
            try Self.openssl(["pkcs12", "-export", "-inkey", file("\(name).key"), "-in", file("\(name).pem"), "-certfile", root,
                              "-passout", "pass:\(passphrase)", "-out", bundle.path])
        }
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch {
            throw CommandFailure(.software, "the demo makes its keys with /usr/bin/openssl, which cannot run: \(error.localizedDescription)")
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(.software, "openssl \(arguments[0]) failed: \(String(decoding: output, as: UTF8.self).split(separator: "\n").first ?? "")")
        }
    }
}
