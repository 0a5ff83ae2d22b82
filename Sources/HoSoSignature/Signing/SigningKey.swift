import COpenSSL
import Foundation

/// A private key and its certificate chain, loaded once for a whole batch: from a PKCS#12 file, or
/// from a PKCS#11 token through OpenSSL's pkcs11 engine (one login). Owns its `EVP_PKEY`.
public final class SigningKey: @unchecked Sendable {
    let key: OpaquePointer
    /// The pkcs11 engine a token's key lives behind; released after the key.
    private var engine: OpaquePointer?
    public let certificate: Certificate
    /// The certificates above the signer's, as the key source gave them.
    public let chain: [Certificate]
    /// The DER of the signer's certificate and then the chain's, encoded once for every signature.
    let certificatesDER: [[UInt8]]

    init(key: OpaquePointer, certificate: Certificate, chain: [Certificate]) throws(SigningError) {
        self.key = key
        self.certificate = certificate
        self.chain = chain
        certificatesDER = ([certificate] + chain).map(\.der)
        guard X509_check_private_key(certificate.x509, key) == 1 else {
            ERR_clear_error()
            throw .key("the private key does not belong to the certificate \(certificate.subject)")
        }
        let (algorithm, bits) = certificate.key
        // TT 15/2025: RSA ≥ 2048, ECDSA ≥ 256.
        if (algorithm == "RSA" && bits < 2048) || (algorithm == "EC" && bits < 256) || !["RSA", "EC"].contains(algorithm) {
            throw .key("\(algorithm) keys of \(bits) bits are refused (TT 15/2025: RSA ≥ 2048, ECDSA ≥ 256)")
        }
    }

    deinit {
        EVP_PKEY_free(key)
        if let engine { hoso_engine_release(engine) }
    }

    /// Reads a PKCS#12 file with `passphrase`; `extra` certificates go after the file's own chain.
    public static func pkcs12(_ url: URL, passphrase: String, chain extra: [Certificate] = []) throws(SigningError) -> SigningKey {
        guard let bytes = try? Array(Data(contentsOf: url)) else { throw .key("\(url.path): cannot read the PKCS#12 file") }
        defer { ERR_clear_error() }
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS12(nil, &pointer, buffer.count)
        }
        guard let parsed else { throw .key("\(url.path): not a PKCS#12 file") }
        defer { PKCS12_free(parsed) }
        var key: OpaquePointer?, x509: OpaquePointer?, others: OpaquePointer?
        guard PKCS12_parse(parsed, passphrase, &key, &x509, &others) == 1, let key, let x509 else {
            throw .key("\(url.path): wrong passphrase, or no key and certificate inside")
        }
        var chain: [Certificate] = []
        if let others {
            for index in 0..<OPENSSL_sk_num(others) {
                if let raw = OPENSSL_sk_value(others, index) { chain.append(Certificate(sharing: OpaquePointer(raw))) }
            }
            OPENSSL_sk_pop_free(others) { X509_free(OpaquePointer($0)) }
        }
        return try SigningKey(key: key, certificate: Certificate(owning: x509), chain: chain + extra)
    }

    /// Logs in once to the PKCS#11 token `uri` names (RFC 7512) with `pin`, through OpenSSL's pkcs11
    /// engine, and takes the private key and certificate the URI's `object`/`id` name (`type` is set
    /// for each). The module is the URI's `module-path` query attribute, else p11-kit's proxy (every
    /// module registered with p11-kit). `chain` adds certificates above the signer's.
    public static func pkcs11(_ uri: PKCS11URI, pin: String, chain: [Certificate] = []) throws(SigningError) -> SigningKey {
        defer { ERR_clear_error() }
        guard let engine = hoso_pkcs11_engine(uri.modulePath, pin) else {
            throw .key("\(uri.modulePath ?? "p11-kit-proxy"): cannot load the PKCS#11 module through OpenSSL's pkcs11 engine (libengine-pkcs11-openssl): \(lastError())")
        }
        guard let key = hoso_pkcs11_private_key(engine, uri.naming(type: "private")) else {
            hoso_engine_release(engine)
            throw .key("\(uri.text): cannot load the private key (wrong PIN, or no such object): \(lastError())")
        }
        guard let x509 = hoso_pkcs11_certificate(engine, uri.naming(type: "cert")) else {
            EVP_PKEY_free(key)
            hoso_engine_release(engine)
            throw .key("\(uri.text): the token has no certificate with this label/id")
        }
        do {
            let signingKey = try SigningKey(key: key, certificate: Certificate(owning: x509), chain: chain)
            signingKey.engine = engine
            return signingKey
        } catch {
            hoso_engine_release(engine)
            throw error
        }
    }

    var isRSA: Bool { certificate.key.algorithm == "RSA" }

    /// Signs `message` (hashing it with `digest`), PKCS#1 v1.5 or PSS for RSA, ECDSA for EC.
    func sign(_ message: [UInt8], digest: SigningDigest, pss: Bool) throws(SigningError) -> [UInt8] {
        defer { ERR_clear_error() }
        guard let context = EVP_MD_CTX_new() else { throw .signing("OpenSSL cannot allocate a digest context") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit(context, &keyContext, digest.md, nil, key) == 1 else { throw .signing("OpenSSL cannot start signing: \(Self.lastError())") }
        if pss {
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1,
                  EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, digest.md) == 1 else { throw .signing("OpenSSL refuses RSA-PSS: \(Self.lastError())") }
        }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { throw .signing("OpenSSL cannot sign: \(Self.lastError())") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else { throw .signing("the key did not sign: \(Self.lastError())") }
        return Array(signature.prefix(length))
    }

    static func lastError() -> String {
        let code = ERR_peek_last_error()
        return code == 0 ? "no detail" : ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)"
    }
}

/// The digests HoSo signs with (TT 15/2025: SHA-2; SHA-1 is not offered).
public enum SigningDigest: String, Sendable, CaseIterable {
    case sha256, sha384, sha512

    var md: OpaquePointer? {
        switch self {
        case .sha256: EVP_sha256()
        case .sha384: EVP_sha384()
        case .sha512: EVP_sha512()
        }
    }

    var nid: Int32 {
        switch self {
        case .sha256: NID_sha256
        case .sha384: NID_sha384
        case .sha512: NID_sha512
        }
    }

    var oid: String {
        switch self {
        case .sha256: "2.16.840.1.101.3.4.2.1"
        case .sha384: "2.16.840.1.101.3.4.2.2"
        case .sha512: "2.16.840.1.101.3.4.2.3"
        }
    }

    var ecdsaOID: String {
        switch self {
        case .sha256: "1.2.840.10045.4.3.2"
        case .sha384: "1.2.840.10045.4.3.3"
        case .sha512: "1.2.840.10045.4.3.4"
        }
    }

    var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }
}

/// Why signing could not go on: the key (exit 77) or one file's signing.
public enum SigningError: Error, CustomStringConvertible, Equatable {
    case key(String)
    case signing(String)
    case input(String)

    public var description: String {
        switch self {
        case .key(let why), .signing(let why), .input(let why): why
        }
    }
}
