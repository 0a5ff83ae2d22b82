import Foundation
import HoSoPDF

/// The revision a signature appends to a PDF, before the signature is known: a signature field (a
/// widget, in the AcroForm with `/SigFlags 3`) whose signature dictionary has a `/ByteRange` to fill and
/// a `/Contents` of zeros to fill. The widget is invisible on the first page, or shows a rendered
/// appearance in a box on the first or last page. The original bytes are never changed.
struct SignaturePlaceholder {
    /// The original file's length: where the update starts.
    let base: Int
    /// The update's bytes (the placeholders filled in place by `fill`).
    private(set) var update: [UInt8]
    /// File offsets of the `/Contents` string, `<` to `>` inclusive: the byte range's gap.
    let contents: Range<Int>
    /// Offset in `update` of the `/ByteRange` array's inside.
    private let byteRangeAt: Int
    static let byteRangeWidth = 40

    /// What a signature dictionary says besides its value.
    struct Details {
        var subFilter: String
        var time: Date
        var reason: String?
        var location: String?
        var name: String?
        /// The case the result is signed for (`/HoSo.CaseID`).
        var caseID: String?
        /// Bytes reserved for the CMS.
        var capacity: Int
        /// A visible appearance; nil for an invisible signature.
        var appearance: Placed?
    }

    /// A rendered appearance and where it goes.
    struct Placed {
        var page: PDFSigner.Appearance.Page
        /// x, y, width, height in points from the page's lower-left corner.
        var box: [Double]
        /// A one-page PDF whose page becomes the widget's normal appearance.
        var pdf: [UInt8]
    }

    /// The byte ranges the signature covers: everything but `contents`.
    var byteRange: [Int] { [0, contents.lowerBound, contents.upperBound, base + update.count - contents.upperBound] }

    init(reader: PDFReader, details: Details) throws(SigningError) {
        let trailer = reader.trailer
        guard trailer["Encrypt"] == nil else { throw .input("the PDF is encrypted; HoSo signs only unencrypted files") }
        guard case .reference(let rootReference)? = trailer["Root"],
              case .dictionary(var catalog)? = try Self.read({ try reader.resolve(.reference(rootReference)) }) else {
            throw .input("the PDF has no document catalog")
        }
        try Self.refuseIfLocked(catalog, reader: reader)
        let (pageReference, pageDictionary, mediaBox) = try Self.page(details.appearance?.page ?? .first, of: catalog, reader: reader)
        var revision = IncrementalUpdate(reader: reader)
        let signature = revision.allocate(), field = revision.allocate()
        var widget: PDFDictionary = [
            "Type": .name("Annot"), "Subtype": .name("Widget"), "FT": .name("Sig"),
            "V": .reference(signature), "F": 132, "Rect": [0, 0, 0, 0], "P": .reference(pageReference),
        ]
        if let appearance = details.appearance {
            let form: PDFReference
            do {
                let rendered = try PDFReader(data: Data(appearance.pdf), name: "the rendered appearance")
                form = try PDFPageCopier(reader: rendered).formXObject(page: 0, into: &revision).form
            } catch {
                throw .signing("the appearance cannot be placed: \(error)")
            }
            let (x, y) = (mediaBox[0] + appearance.box[0], mediaBox[1] + appearance.box[1])
            widget["Rect"] = .array([x, y, x + appearance.box[2], y + appearance.box[3]].map { .real($0) })
            widget["AP"] = .dictionary(["N": .reference(form)])
        }

        // The form and its fields, each stored in place or as an object of its own.
        let (formReference, formValue) = try Self.located(catalog["AcroForm"], in: reader)
        var form = PDFDictionary()
        if case .dictionary(let existing)? = formValue { form = existing }
        let (fieldsReference, fieldsValue) = try Self.located(form["Fields"], in: reader)
        var fields: [PDFObject] = []
        if case .array(let items)? = fieldsValue { fields = items }
        // The field's name: unique among the fields the form already has.
        let name = "HoSo-Signature-\(fields.count + 1)-\(signature.number)"

        // The signature dictionary, by hand: its placeholders' offsets must be known.
        var dictionary = Array("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /\(details.subFilter) /ByteRange [".utf8)
        let byteRangeInside = dictionary.count
        dictionary += [UInt8](repeating: 0x20, count: Self.byteRangeWidth) + Array("] /Contents ".utf8)
        let contentsInside = dictionary.count
        dictionary += [UInt8(ascii: "<")] + [UInt8](repeating: UInt8(ascii: "0"), count: 2 * details.capacity) + [UInt8(ascii: ">")]
        dictionary += Array(" /M ".utf8) + PDFObject.string(PDFString(bytes: Array(Self.pdfDate(details.time).utf8))).bytes
        for (key, value) in [("Reason", details.reason), ("Location", details.location), ("Name", details.name),
                             (String(PDFSigner.caseIDKey.description.dropFirst()), details.caseID)] {
            if let value { dictionary += Array(" /\(key) ".utf8) + PDFObject.string(PDFString(text: value)).bytes }
        }
        dictionary += Array(" >>".utf8)
        revision.set(signature, raw: dictionary)

        widget["T"] = .string(PDFString(text: name))
        revision.set(field, .dictionary(widget))
        // The widget on the page.
        var page = pageDictionary
        let (annotsReference, annotsValue) = try Self.located(page["Annots"], in: reader)
        var annotations: [PDFObject] = []
        if case .array(let items)? = annotsValue {
            annotations = items
        } else if annotsReference != nil {
            throw .input("the page's /Annots is not an array")
        }
        if let annotsReference {
            revision.set(annotsReference, .array(annotations + [.reference(field)]))
        } else {
            page["Annots"] = .array(annotations + [.reference(field)])
            revision.set(pageReference, .dictionary(page))
        }
        // The field in the form; SigFlags 3: signatures exist, append only.
        form["SigFlags"] = 3
        if let fieldsReference {
            revision.set(fieldsReference, .array(fields + [.reference(field)]))
        } else {
            form["Fields"] = .array(fields + [.reference(field)])
        }
        if let formReference {
            revision.set(formReference, .dictionary(form))
        } else {
            catalog["AcroForm"] = .dictionary(form)
            revision.set(rootReference, .dictionary(catalog))
        }

        let (bytes, starts) = revision.bytes()
        base = reader.byteCount
        update = bytes
        let start = starts[signature]!
        byteRangeAt = start + byteRangeInside
        contents = (base + start + contentsInside)..<(base + start + contentsInside + 2 * details.capacity + 2)
        fillByteRange()
    }

    private mutating func fillByteRange() {
        let text = Array(byteRange.map(String.init).joined(separator: " ").utf8)
        precondition(text.count <= Self.byteRangeWidth, "a byte range of more than 40 characters")
        update.replaceSubrange(byteRangeAt..<(byteRangeAt + text.count), with: text)
    }

    /// Puts the CMS into `/Contents`; fails when it does not fit the space reserved.
    mutating func fill(signature der: [UInt8]) throws(SigningError) {
        let capacity = (contents.count - 2) / 2
        guard der.count <= capacity else { throw .signing("the signature (\(der.count) bytes) does not fit the \(capacity) reserved") }
        let digits = Array("0123456789ABCDEF".utf8)
        var at = contents.lowerBound - base + 1
        for byte in der {
            update[at] = digits[Int(byte >> 4)]
            update[at + 1] = digits[Int(byte & 0x0F)]
            at += 2
        }
    }

    /// The update's bytes outside the gap, in order (the original file's bytes come before them).
    var signedUpdateParts: [ArraySlice<UInt8>] {
        [update[0..<(contents.lowerBound - base)], update[(contents.upperBound - base)...]]
    }

    /// `D:YYYYMMDDHHmmSS+07'00'`, in Vietnam's time zone.
    static func pdfDate(_ date: Date) -> String {
        var time = time_t(date.timeIntervalSince1970) + 7 * 3600
        var fields = tm()
        gmtime_r(&time, &fields)
        return String(format: "D:%04d%02d%02d%02d%02d%02d+07'00'", fields.tm_year + 1900, fields.tm_mon + 1, fields.tm_mday,
                      fields.tm_hour, fields.tm_min, fields.tm_sec)
    }

    /// A value stored in place or as an indirect object: its reference when indirect, and what it is.
    private static func located(_ value: PDFObject?, in reader: PDFReader) throws(SigningError) -> (PDFReference?, PDFObject?) {
        guard case .reference(let reference)? = value else { return (nil, value) }
        return (reference, try read({ try reader.resolve(.reference(reference)) }))
    }

    private static func read<T>(_ body: () throws -> T) throws(SigningError) -> T {
        do { return try body() } catch { throw .input("the PDF cannot be read: \(error)") }
    }

    /// Refuses a document certified with "no changes allowed" (DocMDP P 1).
    private static func refuseIfLocked(_ catalog: PDFDictionary, reader: PDFReader) throws(SigningError) {
        guard case .dictionary(let permissions)? = try read({ try reader.resolve(catalog["Perms"]) }),
              case .dictionary(let certification)? = try read({ try reader.resolve(permissions["DocMDP"]) }),
              case .array(let references)? = try read({ try reader.resolve(certification["Reference"]) }) else { return }
        for item in references {
            guard case .dictionary(let reference)? = try read({ try reader.resolve(item) }),
                  case .dictionary(let parameters)? = try read({ try reader.resolve(reference["TransformParams"]) }) else { continue }
            if case .integer(1)? = parameters["P"] { throw .input("the PDF is certified with no changes allowed (DocMDP P 1)") }
        }
    }

    /// The first or last page of the page tree: its reference, its own dictionary, and its media box's
    /// lower-left corner (inherited from the tree when the page has none).
    private static func page(_ which: PDFSigner.Appearance.Page, of catalog: PDFDictionary,
                             reader: PDFReader) throws(SigningError) -> (PDFReference, PDFDictionary, [Double]) {
        var node = catalog["Pages"]
        var mediaBox: PDFObject?
        for _ in 0..<64 {
            guard case .reference(let reference)? = node,
                  case .dictionary(let dictionary)? = try read({ try reader.resolve(.reference(reference)) }) else { break }
            if let box = dictionary["MediaBox"] { mediaBox = box }
            if case .array(let kids)? = try read({ try reader.resolve(dictionary["Kids"]) }) {
                node = which == .first ? kids.first : kids.last
            } else {
                var origin = [0.0, 0.0]
                if case .array(let box)? = try read({ try reader.resolve(mediaBox) }), box.count == 4 {
                    origin = box.prefix(2).map { item in
                        switch item {
                        case .integer(let value): Double(value)
                        case .real(let value): value
                        default: 0
                        }
                    }
                }
                return (reference, dictionary, origin)
            }
        }
        throw .input("the PDF has no page to put the signature field on")
    }
}
