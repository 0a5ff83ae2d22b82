/// A code found on a page: what kind and what it says.
public struct Barcode: Hashable, Sendable, Codable {
    /// The kinds HoSo looks for: the receipt's QR code (TT 01/2023) and the Code128 of the case code
    /// many desks print on the receipt (Biểu 01).
    public enum Symbology: String, Hashable, Sendable, Codable {
        case qr
        case code128
    }

    public let symbology: Symbology
    public let text: String

    public init(symbology: Symbology, text: String) {
        self.symbology = symbology
        self.text = text
    }
}

/// The codes found in one page's corner.
public struct PageBarcodes: Hashable, Sendable, Codable {
    /// From 1, as people count pages.
    public let page: Int
    public let codes: [Barcode]

    public init(page: Int, codes: [Barcode]) {
        self.page = page
        self.codes = codes
    }
}
