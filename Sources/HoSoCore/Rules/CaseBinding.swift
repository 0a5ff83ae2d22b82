/// Where a result names a case.
public enum CaseNamingSource: String, Hashable, Sendable, Codable, CaseIterable {
    /// A passing signature's dictionary: `/HoSo.CaseID`, or the case ID in `/Reason` (both signed).
    case signature
    /// The PDF's text.
    case text
    /// A QR code or Code128 in page 1's top-left corner (TT 01/2023).
    case barcode
}

/// One case ID a result names, and where.
public struct CaseNaming: Hashable, Sendable, Codable {
    public let source: CaseNamingSource
    /// Where exactly, in words: `signature Signature1 /HoSo.CaseID`, `page 1 QR code`.
    public let place: String
    public let caseID: CaseID

    public init(source: CaseNamingSource, place: String, caseID: CaseID) {
        self.source = source
        self.place = place
        self.caseID = caseID
    }
}

/// The result must name its case: a signed result of one case opens no other case's gate.
public enum CaseBinding {
    /// The binding's verdict given what the result names so far.
    public static func decide(_ id: CaseID, namings: [CaseNaming], required: Bool) -> CaseBindingDecision {
        if let naming = namings.first(where: { $0.caseID == id }) { return .bound(naming) }
        return required ? .notNamed(found: namings) : .unchecked(found: namings)
    }
}

/// What the case binding found.
public enum CaseBindingDecision: Hashable, Sendable {
    case bound(CaseNaming)
    /// Not named, but the configuration does not require it (`results.require_case_binding: false`).
    case unchecked(found: [CaseNaming])
    /// Nothing names this case; these are the case IDs that were found, and where.
    case notNamed(found: [CaseNaming])
}

/// Finds case IDs in text whatever the layout did to them: whitespace and line breaks inside an ID are
/// ignored, as a PDF's text extraction breaks lines wherever the page did.
public enum CaseIDScanner {
    /// Every distinct case ID in `text`, in order of appearance.
    public static func caseIDs(in text: String) -> [CaseID] {
        // An agency code is 13 characters (levels of 3, 2, 2 and 3), so a case ID is always 25:
        // `AAA.BB.CC.XNN-YYMMDD-NNNN`.
        let letters = Array(text.unicodeScalars.lazy.filter { !$0.properties.isWhitespace }.map { $0.isASCII ? UInt8($0.value) : 0 })
        let length = 25
        guard letters.count >= length else { return [] }
        var found: [CaseID] = []
        var index = 0
        while index + length <= letters.count {
            let window = letters[index..<(index + length)]
            let at = { (offset: Int) in window[index + offset] }
            if at(3) == UInt8(ascii: "."), at(6) == UInt8(ascii: "."), at(9) == UInt8(ascii: "."),
               at(13) == UInt8(ascii: "-"), at(20) == UInt8(ascii: "-"),
               let id = try? CaseID(parsing: String(decoding: window, as: UTF8.self)) {
                if !found.contains(id) { found.append(id) }
                index += length
            } else {
                index += 1
            }
        }
        return found
    }
}
