import COpenSSL

extension Certificate {
    /// Whether the private key in `pem` (unencrypted PEM, as a TLS server reads it) belongs to this
    /// certificate, by OpenSSL's `X509_check_private_key`; nil when `pem` holds no key OpenSSL can read
    /// without a passphrase.
    public func isKeyPair(withPrivateKeyPEM pem: [UInt8]) -> Bool? {
        defer { ERR_clear_error() }
        let key: OpaquePointer? = pem.withUnsafeBytes { raw in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { return nil }
        defer { EVP_PKEY_free(key) }
        return X509_check_private_key(x509, key) == 1
    }
}
