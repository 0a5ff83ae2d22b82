import HoSoPDF

/// What changed in a PDF after a given revision, judged by what a later signer may do without
/// invalidating an earlier signature: add signatures and their fields, widgets and appearances, add
/// validation data (DSS) and document timestamps, refresh the XMP metadata, the document information and
/// the version. Anything else — changed page content, new annotations
/// over the content, replaced or deleted objects, a changed catalog or page tree — is not allowed.
struct ModificationAnalyzer {
    let reader: PDFReader

    struct Change: Hashable {
        let allowed: Bool
        let description: String
    }

    /// Every change made by revisions after `revision`, in file order.
    func changes(after revision: Int) throws(PDFReadError) -> [Change] {
        var changes: [Change] = []
        for later in (revision + 1)..<reader.revisions.count {
            for number in reader.revisions[later].entries.keys.sorted() {
                let old = try reader.object(number, revision: later - 1)
                let new = try reader.object(number, revision: later)
                if let change = try judge(number, old: old, new: new, revision: later) { changes.append(change) }
            }
        }
        return changes
    }

    private func judge(_ number: Int, old: IndirectObject?, new: IndirectObject?, revision: Int) throws(PDFReadError) -> Change? {
        let label = "revision \(revision), object \(number)"
        guard let new else {
            return old == nil ? nil : Change(allowed: false, description: "\(label): deleted")
        }
        guard let old else { return try judgeNew(new, label: label, revision: revision) }
        if old.value == new.value, sameStreamData(old, new) { return nil }
        guard case .dictionary(let before) = old.value, case .dictionary(let after) = new.value else {
            if case .array(let before) = old.value, case .array(let after) = new.value,
               try isAppendOfSignatureParts(before, after, revision: revision) {
                return Change(allowed: true, description: "\(label): signature fields or widgets appended to an array")
            }
            return Change(allowed: false, description: "\(label): replaced")
        }
        let changedKeys = Set(before.entries.map(\.key) + after.entries.map(\.key)).filter { before[$0] != after[$0] }
        if isInfoDictionary(number, revision: revision) {
            // The document information (ModDate, Producer) is outside what is shown and signed for.
            return Change(allowed: true, description: "\(label): document information updated (\(Self.list(changedKeys)))")
        }
        let kind = typeName(before)
        switch kind {
        case "Catalog":
            // Signers may bump the version and refresh the XMP metadata (pyHanko does both).
            let disallowed = changedKeys.subtracting(["AcroForm", "DSS", "Perms", "Extensions", "Version", "Metadata"])
            return disallowed.isEmpty
                ? Change(allowed: true, description: "\(label): catalog gained \(Self.list(changedKeys))")
                : Change(allowed: false, description: "\(label): catalog changed (\(Self.list(disallowed)))")
        case "Metadata":
            return Change(allowed: true, description: "\(label): XMP metadata refreshed")
        case "Page":
            if changedKeys == ["Annots"], try isAppendOfSignatureParts(try array(before["Annots"], revision: revision - 1),
                                                                      try array(after["Annots"], revision: revision), revision: revision) {
                return Change(allowed: true, description: "\(label): page gained a signature widget")
            }
            return Change(allowed: false, description: "\(label): page changed (\(Self.list(changedKeys)))")
        default:
            if isAcroForm(before) {
                let disallowed = changedKeys.subtracting(["Fields", "SigFlags", "DR", "DA"])
                let fieldsAppended = try isAppendOfSignatureParts(try array(before["Fields"], revision: revision - 1),
                                                                  try array(after["Fields"], revision: revision), revision: revision)
                if disallowed.isEmpty, !changedKeys.contains("Fields") || fieldsAppended {
                    return Change(allowed: true, description: "\(label): form gained signature fields")
                }
                return Change(allowed: false, description: "\(label): form changed (\(Self.list(changedKeys)))")
            }
            if isSignatureField(before) {
                let disallowed = changedKeys.subtracting(["V", "AP", "F", "Lock", "SV", "Kids"])
                return disallowed.isEmpty
                    ? Change(allowed: true, description: "\(label): signature field signed")
                    : Change(allowed: false, description: "\(label): signature field changed (\(Self.list(disallowed)))")
            }
            return Change(allowed: false, description: "\(label): \(kind.map { "/\($0) " } ?? "")object changed (\(Self.list(changedKeys)))")
        }
    }

    private func judgeNew(_ object: IndirectObject, label: String, revision: Int) throws(PDFReadError) -> Change? {
        guard case .dictionary(let dictionary) = object.value else {
            return Change(allowed: true, description: "\(label): new \(object.stream == nil ? "value" : "stream")")
        }
        switch typeName(dictionary) {
        case "Sig": return Change(allowed: true, description: "\(label): a signature")
        case "DocTimeStamp": return Change(allowed: true, description: "\(label): a document timestamp")
        case "DSS", "VRI": return Change(allowed: true, description: "\(label): validation data (DSS)")
        case "ObjStm", "XRef": return nil
        default: break
        }
        if isSignatureField(dictionary) { return Change(allowed: true, description: "\(label): a signature field") }
        if case .name(let subtype)? = dictionary["Subtype"] {
            if subtype == "Widget", try widgetBelongsToSignature(dictionary, revision: revision) {
                return Change(allowed: true, description: "\(label): a signature widget")
            }
            if object.stream == nil, dictionary["Rect"] != nil || typeName(dictionary) == "Annot" {
                return Change(allowed: false, description: "\(label): a new \(subtype) annotation")
            }
        }
        return Change(allowed: true, description: "\(label): new \(object.stream == nil ? "dictionary" : "stream") (appearance or validation data)")
    }

    // MARK: Helpers

    private func typeName(_ dictionary: PDFDictionary) -> String? {
        if case .name(let type)? = dictionary["Type"] { return String(decoding: type.bytes, as: UTF8.self) }
        return nil
    }

    private func isInfoDictionary(_ number: Int, revision: Int) -> Bool {
        reader.revisions[...revision].contains { $0.trailer["Info"] == .reference(PDFReference(number: number)) }
    }

    private func isAcroForm(_ dictionary: PDFDictionary) -> Bool { dictionary["Fields"] != nil && dictionary["Type"] == nil }

    private func isSignatureField(_ dictionary: PDFDictionary) -> Bool { dictionary["FT"] == .name("Sig") }

    private func widgetBelongsToSignature(_ widget: PDFDictionary, revision: Int) throws(PDFReadError) -> Bool {
        if isSignatureField(widget) { return true }
        guard case .dictionary(let parent)? = try reader.resolve(widget["Parent"], revision: revision) else { return false }
        return isSignatureField(parent)
    }

    private func array(_ value: PDFObject?, revision: Int) throws(PDFReadError) -> [PDFObject] {
        if case .array(let items)? = try reader.resolve(value, revision: revision) { return items }
        return []
    }

    /// Whether `after` is `before` with signature fields or widgets appended.
    private func isAppendOfSignatureParts(_ before: [PDFObject], _ after: [PDFObject], revision: Int) throws(PDFReadError) -> Bool {
        guard after.count >= before.count, Array(after.prefix(before.count)) == before else { return false }
        for added in after.dropFirst(before.count) {
            guard case .dictionary(let dictionary)? = try reader.resolve(added, revision: revision) else { return false }
            let isWidget = dictionary["Subtype"] == .name("Widget")
            let belongs = try widgetBelongsToSignature(dictionary, revision: revision)
            guard isSignatureField(dictionary) || (isWidget && belongs) else { return false }
        }
        return true
    }

    private func sameStreamData(_ old: IndirectObject, _ new: IndirectObject) -> Bool {
        switch (old.stream, new.stream) {
        case (nil, nil): return true
        case (let a?, let b?): return a.count == b.count && reader.bytes(a) == reader.bytes(b)
        default: return false
        }
    }

    private static func list(_ keys: Set<PDFName>) -> String { keys.map(\.description).sorted().joined(separator: ", ") }
}
