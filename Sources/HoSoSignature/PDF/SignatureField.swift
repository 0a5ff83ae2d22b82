import HoSoPDF

/// A signature field of a PDF and the signature dictionary its value points to, as found in the file.
struct SignatureField {
    /// The fully qualified field name, `Signature1` or `Form.Sig`.
    let name: String
    /// The field's own dictionary (its `/Lock`, its widget keys when merged).
    let field: PDFDictionary
    /// The signature dictionary object (never inside an object stream: its bytes are signed around).
    let signature: IndirectObject?
    let dictionary: PDFDictionary?
    /// Where each top-level value of the signature dictionary lies in the file.
    let valueRanges: [PDFName: Range<Int>]

    /// Every signature field of the newest revision's AcroForm, in field order.
    static func all(in reader: PDFReader) throws(PDFReadError) -> [SignatureField] {
        guard case .dictionary(let catalog)? = try reader.resolve(reader.trailer["Root"]),
              case .dictionary(let form)? = try reader.resolve(catalog["AcroForm"]),
              case .array(let fields)? = try reader.resolve(form["Fields"]) else { return [] }
        var found: [SignatureField] = []
        var seen: Set<Int> = []
        func walk(_ items: [PDFObject], prefix: String, inheritedType: PDFName?, depth: Int) throws(PDFReadError) {
            guard depth < 32 else { return }
            for item in items {
                if case .reference(let reference) = item { guard seen.insert(reference.number).inserted else { continue } }
                guard case .dictionary(let field)? = try reader.resolve(item) else { continue }
                var name = prefix
                if case .string(let partial)? = field["T"] {
                    let text = partial.text
                    name = prefix.isEmpty ? text : "\(prefix).\(text)"
                }
                var type = inheritedType
                if case .name(let fieldType)? = field["FT"] { type = fieldType }
                if case .array(let kids)? = try reader.resolve(field["Kids"]),
                   kids.contains(where: { if case .reference = $0 { true } else { false } }),
                   field["V"] == nil || type != "Sig" {
                    try walk(kids, prefix: name, inheritedType: type, depth: depth + 1)
                    continue
                }
                guard type == "Sig" else { continue }
                found.append(try SignatureField(name: name, field: field, reader: reader))
            }
        }
        try walk(fields, prefix: "", inheritedType: nil, depth: 0)
        return found
    }

    private init(name: String, field: PDFDictionary, reader: PDFReader) throws(PDFReadError) {
        self.name = name
        self.field = field
        let value = field["V"]
        guard case .reference(let reference)? = value,
              let object = try reader.object(reference.number, recordingRanges: true) else {
            // An unsigned field, or a value given directly (then its bytes cannot be located).
            signature = nil
            if case .dictionary(let direct)? = value { dictionary = direct } else { dictionary = nil }
            valueRanges = [:]
            return
        }
        signature = object
        if case .dictionary(let value) = object.value { dictionary = value } else { dictionary = nil }
        // Located in the same parse; a compressed object has no place in the file, so none.
        valueRanges = object.valueRanges
    }
}

extension SignatureField {
    /// The revision this signature's byte range ends with, if it ends with one.
    func signedRevision(in reader: PDFReader) -> Int? {
        guard case .array(let items)? = dictionary?["ByteRange"], items.count == 4,
              case .integer(let start) = items[2], case .integer(let length) = items[3] else { return nil }
        let end = start + length
        return reader.revisions.firstIndex { $0.end == end }
    }
}
