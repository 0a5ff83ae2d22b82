/// What HoSo records about one normalized document.
public struct DocumentMetadata: Hashable, Sendable, Codable {
    /// What the input was: `tiff`, `jpeg`, `png`, `pdf`.
    public let inputKind: String
    public let inputSHA256: SHA256Digest
    public let inputByteCount: Int64
    public let outputSHA256: SHA256Digest
    public let outputByteCount: Int64
    public let pages: [PageMetadata]
    /// Whether the output claims PDF/A-2b (a CMYK page without a CMYK output intent cannot).
    public let pdfA: Bool
    /// Problems with the document as a whole.
    public let warnings: [String]

    public var pageCount: Int { pages.count }

    public init(
        inputKind: String, inputSHA256: SHA256Digest, inputByteCount: Int64, outputSHA256: SHA256Digest,
        outputByteCount: Int64, pages: [PageMetadata], pdfA: Bool, warnings: [String]
    ) {
        self.inputKind = inputKind
        self.inputSHA256 = inputSHA256
        self.inputByteCount = inputByteCount
        self.outputSHA256 = outputSHA256
        self.outputByteCount = outputByteCount
        self.pages = pages
        self.pdfA = pdfA
        self.warnings = warnings
    }
}

/// What HoSo records about one page.
public struct PageMetadata: Hashable, Sendable, Codable {
    /// Size in pixels; nil for pages of PDF inputs, which are kept as they are.
    public let widthPixels: Int?
    public let heightPixels: Int?
    /// Resolution; nil when the input did not say (the default was used) or is a PDF.
    public let dpi: Double?
    public let bitsPerSample: Int?
    public let colourMode: ColourMode?
    /// The input's compression, e.g. `CCITT G4`, `JPEG`, `LZW`.
    public let compression: String
    /// How the page went into the PDF: `ccitt` or `jpeg` (coded data copied), `flate` (re-compressed), or
    /// `original` (a PDF input, kept byte for byte).
    public let encoding: String
    /// Physical size as displayed (after orientation), in millimetres.
    public let widthMM: Double
    public let heightMM: Double
    public let paper: PaperClass
    public let warnings: [String]

    public init(
        widthPixels: Int?, heightPixels: Int?, dpi: Double?, bitsPerSample: Int?, colourMode: ColourMode?,
        compression: String, encoding: String, widthMM: Double, heightMM: Double, paper: PaperClass, warnings: [String]
    ) {
        self.widthPixels = widthPixels
        self.heightPixels = heightPixels
        self.dpi = dpi
        self.bitsPerSample = bitsPerSample
        self.colourMode = colourMode
        self.compression = compression
        self.encoding = encoding
        self.widthMM = widthMM
        self.heightMM = heightMM
        self.paper = paper
        self.warnings = warnings
    }
}
