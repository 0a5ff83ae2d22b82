import HoSoPDF

/// What the fuzz targets (`Fuzz/`, `make fuzz`) call of this module's parsers that is not public API.
@_spi(Fuzzing) public enum SignatureParsers {
    /// The CMS certificate splitter on `der`: the length of what it rebuilds, or nil when it refuses.
    public static func splitCertificates(_ der: [UInt8]) -> Int? {
        CMSCertificateSplit.keepingOnlyX509(der)?.count
    }

    /// The signature fields and dictionaries of a PDF, or nil when they cannot be read.
    public static func signatureFields(in reader: PDFReader) -> Int? {
        try? SignatureField.all(in: reader).count
    }
}
