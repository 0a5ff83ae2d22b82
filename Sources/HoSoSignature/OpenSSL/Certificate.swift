import COpenSSL
import Foundation
import HoSoCore
import Synchronization

/// An X.509 certificate held by OpenSSL. Owns one reference to its `X509`; `deinit` frees it.
public final class Certificate: @unchecked Sendable {
    let x509: OpaquePointer
    /// The signer facts, worked out once: a batch from one office has the same signer in every file, and
    /// the certificate cache hands out one `Certificate` for it.
    let signerFactsMemo = Mutex<(own: SignerCertificate, issuer: Certificate?)?>(nil)

    /// Takes over `x509` (one reference).
    init(owning x509: OpaquePointer) {
        self.x509 = x509
    }

    /// Adds a reference to `x509`, which stays its owner's too.
    convenience init(sharing x509: OpaquePointer) {
        X509_up_ref(x509)
        self.init(owning: x509)
    }

    deinit { X509_free(x509) }

    /// Reads every certificate in a PEM file, or the one certificate of a DER file.
    public static func load(_ url: URL) -> [Certificate] {
        guard let bytes = try? Array(Data(contentsOf: url)) else { return [] }
        return parse(bytes)
    }

    /// Every certificate in PEM text, or the one certificate of DER bytes; none when they are neither.
    public static func parse(_ bytes: [UInt8]) -> [Certificate] {
        if let pem = String(data: Data(bytes), encoding: .ascii), pem.contains("-----BEGIN CERTIFICATE-----") {
            var found: [Certificate] = []
            bytes.withUnsafeBytes { raw in
                let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
                defer { BIO_free(bio) }
                while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) { found.append(Certificate(owning: x509)) }
            }
            ERR_clear_error()
            return found
        }
        return bytes.withUnsafeBufferPointer { buffer in
            var pointer: UnsafePointer<UInt8>? = buffer.baseAddress
            guard let x509 = d2i_X509(nil, &pointer, buffer.count) else { ERR_clear_error(); return [] }
            return [Certificate(owning: x509)]
        }
    }

    /// The subject's common name, if it has one.
    public var commonName: String? {
        guard let name = X509_get_subject_name(x509) else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index),
              let bytes = ASN1.bytes(X509_NAME_ENTRY_get_data(entry)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The DER encoding.
    var der: [UInt8] { Self.encode(x509, i2d_X509) }
    /// The issuer name's DER.
    var issuerDER: [UInt8] { Self.encode(X509_get_issuer_name(x509), i2d_X509_NAME) }
    /// The serial number's DER (an INTEGER).
    var serialDER: [UInt8] { Self.encode(X509_get0_serialNumber(x509), i2d_ASN1_INTEGER) }

    static func encode<T>(_ value: T?, _ encoder: (T?, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8] {
        let length = encoder(value, nil)
        guard length > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: Int(length))
        out.withUnsafeMutableBufferPointer { buffer in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            _ = encoder(value, &pointer)
        }
        return out
    }

    /// The SHA-256 of the DER encoding.
    var fingerprint: [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(x509, EVP_sha256(), &digest, &length) == 1 else { return [] }
        return Array(digest.prefix(Int(length)))
    }

    /// The SHA-256 of the DER encoding, hex: how evidence names a certificate.
    public var fingerprintHex: String { SHA256Digest(bytes: fingerprint).hex }

    /// The URLs of the certificate's CRL distribution points (full names only).
    public var crlDistributionPoints: [String] {
        guard let points = X509_get_ext_d2i(x509, NID_crl_distribution_points, nil, nil) else { return [] }
        let stack = OpaquePointer(points)
        defer { hoso_dist_points_free(points) }
        var urls: [String] = []
        for index in 0..<OPENSSL_sk_num(stack) {
            guard let point = OPENSSL_sk_value(stack, index)?.assumingMemoryBound(to: DIST_POINT.self).pointee,
                  let name = point.distpoint?.pointee, name.type == 0, let names = name.name.fullname else { continue }
            for nameIndex in 0..<OPENSSL_sk_num(names) {
                guard let general = OPENSSL_sk_value(names, nameIndex)?.assumingMemoryBound(to: GENERAL_NAME.self).pointee,
                      general.type == GEN_URI, let uri = ASN1.bytes(general.d.uniformResourceIdentifier) else { continue }
                urls.append(String(decoding: uri, as: UTF8.self))
            }
        }
        return urls
    }

    /// The subject as one line, `CN=…, O=…`.
    public var subject: String { Self.name(X509_get_subject_name(x509)) }
    public var issuer: String { Self.name(X509_get_issuer_name(x509)) }

    /// The serial number in hex.
    public var serial: String {
        guard let bignum = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nil) else { return "" }
        defer { BN_free(bignum) }
        guard let hex = BN_bn2hex(bignum) else { return "" }
        defer { CRYPTO_free(hex, #file, #line) }
        return String(cString: hex)
    }

    /// Whether key usage allows signing documents: digitalSignature or nonRepudiation (or no key usage
    /// extension at all, which allows everything).
    public var allowsSigning: Bool {
        let usage = X509_get_key_usage(x509)
        return usage == UInt32.max || usage & UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION) != 0
    }

    /// The public key's algorithm and size: ("RSA", 2048), ("EC", 256).
    public var key: (algorithm: String, bits: Int) {
        guard let key = X509_get0_pubkey(x509) else { return ("unknown", 0) }
        let bits = Int(EVP_PKEY_get_bits(key))
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS: return ("RSA", bits)
        case EVP_PKEY_EC: return ("EC", bits)
        case EVP_PKEY_ED25519: return ("Ed25519", bits)
        default: return ("other", bits)
        }
    }

    /// An X.509 name as one RFC 2253 line, in UTF-8 (Vietnamese names as written, not as escaped bytes).
    static func name(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        X509_NAME_print_ex(bio, name, 0, hoso_xn_flag_rfc2253_utf8())
        var pointer: UnsafeMutablePointer<CChar>?
        let length = BIO_ctrl(bio, BIO_CTRL_INFO, 0, &pointer)
        guard length > 0, let pointer else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }
}
