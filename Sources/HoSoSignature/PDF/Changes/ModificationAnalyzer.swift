import HoSoPDF

/// What changed in a PDF after a signed revision, each change judged by a named rule — the idea of
/// pyHanko's difference analysis, kept to what results need.
///
/// Objects are judged by where the revision uses them (``ObjectGraph``), never by what they call
/// themselves. What may change after a signature:
/// - `signature`: a signature field signed, or a new one added to the form and a page (a new field that
///   is not signed must show nothing), with its signature dictionary and appearance;
/// - `validation_data`: the DSS and everything only it uses, added or updated in place;
/// - `document_information`: the object the trailer's `/Info` names, used by nothing else, holding only
///   strings; `xmp_metadata`: the stream the catalog's `/Metadata` names, used by nothing else, holding XMP;
/// - `catalog`: only `/AcroForm`, `/DSS`, `/Metadata`, `/Version`, `/Extensions`; `form`: only
///   `/Fields` (signature fields added, the others kept in order), `/SigFlags`, `/DR`, `/DA`;
/// - `form_filling`: a form field's value and appearance, only under a certification with DocMDP `/P` 2
///   or 3 and when no field lock covers it; `annotation`: annotations, only under `/P` 3;
/// - `unused`: an object nothing in the revision uses.
/// Everything else fails, naming the object and how the document uses it. A new object that fills a
/// reference the document already had (a "dangling" reference prepared before signing) fails too.
final class ModificationAnalyzer {
    let reader: PDFReader
    let permissions: DocumentPermissions
    private var graphs: [Int: ObjectGraph] = [:]
    private var judged: [Int: [Change]] = [:]

    init(reader: PDFReader, permissions: DocumentPermissions) {
        self.reader = reader
        self.permissions = permissions
    }

    enum Rule: String, Hashable {
        case signature
        case validationData = "validation_data"
        case documentInformation = "document_information"
        case xmpMetadata = "xmp_metadata"
        case catalog
        case form
        case formFilling = "form_filling"
        case annotation
        case unused
        case notAllowed = "not_allowed"
    }

    struct Change: Hashable {
        let allowed: Bool
        let rule: Rule
        let description: String
    }

    /// Every change made by revisions after `revision`, in file order.
    func changes(after revision: Int) throws(PDFReadError) -> [Change] {
        var all: [Change] = []
        for later in (revision + 1)..<reader.revisions.count { all += try changes(in: later) }
        return all
    }

    /// The changes revision `revision` made to the one before it (judged once per document).
    func changes(in revision: Int) throws(PDFReadError) -> [Change] {
        if let known = judged[revision] { return known }
        let graph = try graph(revision)
        var found: [Change] = []
        func add(_ allowed: Bool, _ rule: Rule, _ text: String) {
            found.append(Change(allowed: allowed, rule: allowed ? rule : .notAllowed, description: "revision \(revision), \(text)"))
        }
        let changed = Set(reader.revisions[revision].entries.keys)
        let (oldRoot, newRoot) = (rootNumber(revision - 1), rootNumber(revision))
        if let problem = try catalogChange(revision: revision) {
            add(problem.allowed, problem.rule, problem.description)
        }
        for number in changed.sorted() where number != oldRoot && number != newRoot {
            let old = try reader.object(number, revision: revision - 1)
            let new = try reader.object(number, revision: revision)
            switch (old, new) {
            case (nil, nil):
                continue
            case (_?, nil):
                if graph.isUsed(number) {
                    add(false, .notAllowed, "object \(number): deleted, yet \(usage(number, graph)) still uses it")
                }
            case (_, let new?) where Self.duplicateKey(in: new.value) != nil && !Self.isSignatureValue(new.value):
                add(false, .notAllowed, "object \(number): gives \(Self.duplicateKey(in: new.value)!) twice in one dictionary; readers disagree on which counts")
            case (nil, let new?):
                if isStructure(new) { continue }
                // Each user of a new object changes with it, and is judged; an unchanged user had the
                // reference before: the new object fills a reference prepared before signing.
                if let filled = graph.uses(of: number).first(where: { $0.from.map { !changed.contains($0) } ?? false }) {
                    add(false, .notAllowed, "object \(number): new, filling a reference object \(filled.from!) \(filled.key) already had")
                }
            case (let old?, let new?):
                if isStructure(old) && isStructure(new) { continue }
                if old.value.isEquivalent(to: new.value), sameStreamData(old, new) { continue }
                let verdict = try judgeChanged(number, old: old, new: new, graph: graph, revision: revision)
                add(verdict.allowed, verdict.rule, "object \(number): \(verdict.description)")
            }
        }
        judged[revision] = found
        return found
    }

    // MARK: The catalog

    private func rootNumber(_ revision: Int) -> Int? {
        guard revision >= 0, case .reference(let root)? = reader.trailerValue("Root", revision: revision) else { return nil }
        return root.number
    }

    /// The catalog before and after, wherever the trailer's `/Root` points in each.
    private func catalogChange(revision: Int) throws(PDFReadError) -> Change? {
        guard case .dictionary(let before)? = try reader.resolve(reader.trailerValue("Root", revision: revision - 1), revision: revision - 1),
              case .dictionary(let after)? = try reader.resolve(reader.trailerValue("Root", revision: revision), revision: revision) else {
            return Change(allowed: false, rule: .notAllowed, description: "the document catalog is missing")
        }
        let keys = changedKeys(before, after)
        if keys.isEmpty { return nil }
        let disallowed = keys.subtracting(["AcroForm", "DSS", "Metadata", "Version", "Extensions"])
        guard disallowed.isEmpty else {
            return Change(allowed: false, rule: .notAllowed, description: "the catalog changed \(Self.list(disallowed))")
        }
        if keys.contains("AcroForm") {
            let oldForm = try dictionary(before["AcroForm"], revision: revision - 1) ?? PDFDictionary()
            let newForm = try dictionary(after["AcroForm"], revision: revision) ?? PDFDictionary()
            if let problem = try formChange(oldForm, newForm, revision: revision), !problem.allowed { return problem }
        }
        if keys.contains("Metadata"), let problem = try metadataProblem(after["Metadata"], revision: revision) {
            return Change(allowed: false, rule: .notAllowed, description: "the catalog's /Metadata \(problem)")
        }
        return Change(allowed: true, rule: .catalog, description: "the catalog changed \(Self.list(keys))")
    }

    // MARK: Changed objects, by how the revision uses them

    private func judgeChanged(_ number: Int, old: IndirectObject, new: IndirectObject, graph: ObjectGraph,
                              revision: Int) throws(PDFReadError) -> Change {
        let uses = graph.uses(of: number)
        if uses.isEmpty { return Change(allowed: true, rule: .unused, description: "changed; nothing uses it") }
        if uses.allSatisfy({ $0.from == nil && $0.key == "Info" }) {
            guard case .dictionary(let info) = new.value, new.stream == nil,
                  info.entries.allSatisfy({ if case .string = $0.value { true } else if case .name = $0.value { true } else { false } }) else {
                return Change(allowed: false, rule: .notAllowed, description: "the document information holds more than strings")
            }
            return Change(allowed: true, rule: .documentInformation, description: "document information updated")
        }
        if let root = rootNumber(revision), uses.allSatisfy({ $0.from == root && $0.key == "Metadata" }) {
            if let problem = try metadataProblem(.reference(new.reference), revision: revision) {
                return Change(allowed: false, rule: .notAllowed, description: "the XMP metadata \(problem)")
            }
            return Change(allowed: true, rule: .xmpMetadata, description: "XMP metadata refreshed")
        }
        if try isAppearanceOfFieldSignedNow(uses, graph: graph, revision: revision) {
            return Change(allowed: true, rule: .signature, description: "the appearance of a signature field signed in this revision")
        }
        if let root = rootNumber(revision), uses.allSatisfy({ $0.from == root && $0.key == "Extensions" }) {
            return Change(allowed: true, rule: .catalog, description: "the catalog's developer extensions updated")
        }
        if isValidationData(number, graph: graph, seen: []) {
            return Change(allowed: true, rule: .validationData, description: "validation data (DSS) updated")
        }
        if let root = rootNumber(revision), uses.allSatisfy({ $0.from == root && $0.key == "AcroForm" }) {
            guard case .dictionary(let before) = old.value, case .dictionary(let after) = new.value else {
                return Change(allowed: false, rule: .notAllowed, description: "the form replaced")
            }
            return try formChange(before, after, revision: revision)
                ?? Change(allowed: true, rule: .form, description: "the form re-written unchanged")
        }
        if uses.allSatisfy({ $0.key == "Fields" && $0.direct }) || uses.allSatisfy({ $0.key == "Annots" && $0.direct }) {
            guard case .array(let before) = old.value, case .array(let after) = new.value else {
                return Change(allowed: false, rule: .notAllowed, description: "a \(uses[0].key) array replaced")
            }
            return try added(before, after, in: uses[0].key == "Fields" ? "the form's fields" : "a page's annotations", revision: revision)
        }
        guard case .dictionary(let before) = old.value, case .dictionary(let after) = new.value else {
            return Change(allowed: false, rule: .notAllowed, description: "\(usage(number, graph)): replaced")
        }
        let keys = changedKeys(before, after)
        if after["Type"] == .name("Page") || before["Type"] == .name("Page") {
            guard keys == ["Annots"] else {
                return Change(allowed: false, rule: .notAllowed, description: "a page changed \(Self.list(keys))")
            }
            return try added(try array(before["Annots"], revision: revision - 1), try array(after["Annots"], revision: revision),
                             in: "a page's annotations", revision: revision)
        }
        if try isField(after, revision: revision) {
            return try fieldChange(number, before, after, keys: keys, revision: revision)
        }
        if after["Subtype"] != nil, after["Rect"] != nil {
            let level = permissions.level(forChangeIn: revision)
            return level == 3
                ? Change(allowed: true, rule: .annotation, description: "an annotation changed (DocMDP /P 3)")
                : Change(allowed: false, rule: .notAllowed, description: "an annotation changed \(Self.list(keys))")
        }
        return Change(allowed: false, rule: .notAllowed, description: "\(usage(number, graph)): changed \(Self.list(keys))")
    }

    /// The form dictionary: only signature fields added (the others kept, in order), `/SigFlags`, `/DR`, `/DA`.
    private func formChange(_ before: PDFDictionary, _ after: PDFDictionary, revision: Int) throws(PDFReadError) -> Change? {
        let keys = changedKeys(before, after)
        if keys.isEmpty { return nil }
        let disallowed = keys.subtracting(["Fields", "SigFlags", "DR", "DA"])
        guard disallowed.isEmpty else {
            return Change(allowed: false, rule: .notAllowed, description: "the form changed \(Self.list(disallowed))")
        }
        if keys.contains("Fields") {
            let fields = try added(try array(before["Fields"], revision: revision - 1), try array(after["Fields"], revision: revision),
                                   in: "the form's fields", revision: revision)
            if !fields.allowed { return fields }
        }
        return Change(allowed: true, rule: .form, description: "the form changed \(Self.list(keys))")
    }

    /// `after` must be `before` with items added anywhere, in order: signature fields (or their widgets);
    /// other annotations only under DocMDP `/P` 3.
    private func added(_ before: [PDFObject], _ after: [PDFObject], in place: String, revision: Int) throws(PDFReadError) -> Change {
        var remaining = before[...]
        var extra: [PDFObject] = []
        for item in after {
            if let first = remaining.first, first.isEquivalent(to: item) { remaining.removeFirst() } else { extra.append(item) }
        }
        guard remaining.isEmpty else {
            return Change(allowed: false, rule: .notAllowed, description: "\(place): items removed or reordered")
        }
        let level = permissions.level(forChangeIn: revision)
        for item in extra {
            guard case .dictionary(let dictionary)? = try reader.resolve(item, revision: revision) else {
                return Change(allowed: false, rule: .notAllowed, description: "\(place): gained something that is not a dictionary")
            }
            var owner = try signatureField(of: dictionary, revision: revision)
            if owner == nil, case .reference(let reference) = item { owner = try signatureFieldListing(reference.number, revision: revision) }
            guard let field = owner else {
                if level == 3, place.hasSuffix("annotations") { continue }
                let kind = if case .name(let subtype)? = dictionary["Subtype"] { "a /\(String(decoding: subtype.bytes, as: UTF8.self))" } else { "an" }
                return Change(allowed: false, rule: .notAllowed, description: "\(place): gained \(kind) annotation or field that is not a signature's")
            }
            if let problem = try signingProblem(field, widget: dictionary, revision: revision) {
                return Change(allowed: false, rule: .notAllowed, description: "\(place): \(problem)")
            }
        }
        return Change(allowed: true, rule: .signature, description: "\(place) gained \(extra.count) signature part(s)")
    }

    /// A form field (or its widget) changed: signing a signature field, or form filling.
    private func fieldChange(_ number: Int, _ before: PDFDictionary, _ after: PDFDictionary, keys: Set<PDFName>,
                             revision: Int) throws(PDFReadError) -> Change {
        let name = try fieldName(after, revision: revision)
        if let field = try signatureField(of: after, revision: revision) {
            let previous = try signatureField(of: before, revision: revision - 1)
            guard previous?["V"] == nil else {
                return Change(allowed: false, rule: .notAllowed, description: "signature field \(name) changed after it was signed (\(Self.list(keys)))")
            }
            guard field["V"] != nil else {
                return Change(allowed: false, rule: .notAllowed, description: "unsigned signature field \(name) changed \(Self.list(keys))")
            }
            let disallowed = keys.subtracting(["V", "AP", "AS", "MK", "DA", "DR", "F"])
            guard disallowed.isEmpty else {
                return Change(allowed: false, rule: .notAllowed, description: "signature field \(name) changed \(Self.list(disallowed)) when signed")
            }
            if let problem = try signingProblem(field, widget: after, revision: revision) {
                return Change(allowed: false, rule: .notAllowed, description: problem)
            }
            return Change(allowed: true, rule: .signature, description: "signature field \(name) signed")
        }
        guard let level = permissions.level(forChangeIn: revision), level >= 2 else {
            return Change(allowed: false, rule: .notAllowed,
                          description: "form field \(name) changed \(Self.list(keys)); only a certification allowing form filling (DocMDP /P 2 or 3) permits that")
        }
        if let lock = permissions.locks.first(where: { $0.revision < revision && $0.covers(name) }) {
            return Change(allowed: false, rule: .notAllowed, description: "form field \(name) changed, but signature \(lock.field) locked it")
        }
        let disallowed = keys.subtracting(["V", "AS", "AP", "MK"])
        guard disallowed.isEmpty else {
            return Change(allowed: false, rule: .notAllowed, description: "form field \(name) changed \(Self.list(disallowed))")
        }
        return Change(allowed: true, rule: .formFilling, description: "form field \(name) filled (DocMDP /P \(level))")
    }

    /// Why signing (or adding) this signature field in `revision` is not allowed, if it is not.
    private func signingProblem(_ field: PDFDictionary, widget: PDFDictionary, revision: Int) throws(PDFReadError) -> String? {
        let name = try fieldName(field, revision: revision)
        let level = permissions.level(forChangeIn: revision)
        guard case .dictionary(let value)? = try reader.resolve(field["V"], revision: revision) else {
            // Not signed: a field waiting for a signature may be added, but must show nothing.
            if let level, level < 2 { return "signature field \(name) added, but the certification allows no changes (DocMDP /P 1)" }
            return isVisible(widget) ? "new unsigned signature field \(name) shows an appearance on the page" : nil
        }
        let isTimestamp = value["Type"] == .name("DocTimeStamp") || value["SubFilter"] == .name("ETSI.RFC3161")
        if !isTimestamp, let level, level < 2 {
            return "signature field \(name) signed, but the certification allows no changes (DocMDP /P 1)"
        }
        if !isTimestamp, let lock = permissions.locks.first(where: { $0.revision < revision && $0.covers(name) }) {
            return "signature field \(name) signed, but signature \(lock.field) locked it"
        }
        return nil
    }

    // MARK: Helpers

    private func graph(_ revision: Int) throws(PDFReadError) -> ObjectGraph {
        if let known = graphs[revision] { return known }
        let made = try ObjectGraph(reader: reader, revision: revision)
        graphs[revision] = made
        return made
    }

    private func isStructure(_ object: IndirectObject) -> Bool {
        guard case .dictionary(let dictionary) = object.value else { return false }
        return dictionary["Type"] == .name("XRef") || dictionary["Type"] == .name("ObjStm")
    }

    /// Whether every use is a widget's `/AP` (itself, or an appearance dictionary only such widgets
    /// use) whose signature field gets its signature in `revision`: a prepared field's appearance is
    /// redrawn when it is signed.
    private func isAppearanceOfFieldSignedNow(_ uses: [ObjectGraph.Edge], graph: ObjectGraph, revision: Int,
                                              depth: Int = 0) throws(PDFReadError) -> Bool {
        guard !uses.isEmpty, depth < 2 else { return false }
        for use in uses {
            guard let from = use.from else { return false }
            if use.key == "AP", case .dictionary(let widget)? = try reader.object(from, revision: revision)?.value,
               let field = try signatureField(of: widget, revision: revision), field["V"] != nil {
                guard case .dictionary(let before)? = try reader.object(from, revision: revision - 1)?.value else { return false }
                if try signatureField(of: before, revision: revision - 1)?["V"] != nil { return false }
                continue
            }
            // An appearance dictionary of its own (`/AP 10 0 R`, `10 0 obj << /N 9 0 R >>`).
            guard ["N", "R", "D"].contains(use.key),
                  try isAppearanceOfFieldSignedNow(graph.uses(of: from), graph: graph, revision: revision, depth: depth + 1) else { return false }
        }
        return true
    }

    /// The catalog's `/DSS`, or an object only validation data uses.
    private func isValidationData(_ number: Int, graph: ObjectGraph, seen: Set<Int>) -> Bool {
        let uses = graph.uses(of: number)
        guard !uses.isEmpty, !seen.contains(number), seen.count < 64 else { return false }
        return uses.allSatisfy { use in
            guard let from = use.from else { return false }
            if from == rootNumber(graph.revision) { return use.key == "DSS" }
            return isValidationData(from, graph: graph, seen: seen.union([number]))
        }
    }

    /// Why `value` is not XMP metadata, or nil when it is.
    private func metadataProblem(_ value: PDFObject?, revision: Int) throws(PDFReadError) -> String? {
        guard case .reference(let reference)? = value else { return value == nil ? nil : "is not a stream" }
        guard let object = try reader.object(reference.number, revision: revision), object.stream != nil else { return "is not a stream" }
        let data = (try? reader.decodedStream(object, limit: 8 << 20)) ?? []
        let text = data.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || PDFObject.isWhitespace($0) }
        guard text.starts(with: Array("<?xpacket".utf8)) || text.starts(with: Array("<x:xmpmeta".utf8)) else { return "does not hold XMP" }
        return nil
    }

    /// Whether the dictionary is a form field or a field's widget (it or a parent has `/FT`).
    private func isField(_ dictionary: PDFDictionary, revision: Int) throws(PDFReadError) -> Bool {
        try inherited("FT", of: dictionary, revision: revision) != nil || dictionary["Subtype"] == .name("Widget")
    }

    /// The signature field `dictionary` is, or whose widget it is; nil when it is neither.
    private func signatureField(of dictionary: PDFDictionary, revision: Int) throws(PDFReadError) -> PDFDictionary? {
        var current = dictionary
        for _ in 0..<32 {
            if current["FT"] == .name("Sig") { return current }
            if current["FT"] != nil { return nil }
            guard case .dictionary(let parent)? = try reader.resolve(current["Parent"], revision: revision) else { return nil }
            current = parent
        }
        return nil
    }

    /// The signature field whose `/Kids` lists widget `number` (a widget need not point back with `/Parent`).
    private func signatureFieldListing(_ number: Int, revision: Int) throws(PDFReadError) -> PDFDictionary? {
        let graph = try graph(revision)
        for use in graph.uses(of: number) {
            guard let from = use.from, let user = try reader.object(from, revision: revision) else { continue }
            if use.key == "Kids", case .dictionary(let field) = user.value, field["FT"] == .name("Sig") { return field }
            // `/Kids 15 0 R` with `15 0 obj [14 0 R]`: one step further up.
            if case .array = user.value {
                for outer in graph.uses(of: from) where outer.key == "Kids" && outer.direct {
                    if let owner = outer.from, case .dictionary(let field)? = try reader.object(owner, revision: revision)?.value,
                       field["FT"] == .name("Sig") {
                        return field
                    }
                }
            }
        }
        return nil
    }

    private func inherited(_ key: PDFName, of dictionary: PDFDictionary, revision: Int) throws(PDFReadError) -> PDFObject? {
        var current = dictionary
        for _ in 0..<32 {
            if let value = current[key] { return value }
            guard case .dictionary(let parent)? = try reader.resolve(current["Parent"], revision: revision) else { return nil }
            current = parent
        }
        return nil
    }

    /// The field's fully qualified name, `Form.Signature1`.
    private func fieldName(_ dictionary: PDFDictionary, revision: Int) throws(PDFReadError) -> String {
        var parts: [String] = []
        var current: PDFDictionary? = dictionary
        for _ in 0..<32 {
            guard let field = current else { break }
            if case .string(let name)? = field["T"] { parts.append(name.text) }
            if case .dictionary(let parent)? = try reader.resolve(field["Parent"], revision: revision) { current = parent } else { current = nil }
        }
        return parts.isEmpty ? "(unnamed)" : parts.reversed().joined(separator: ".")
    }

    /// Whether a widget paints anything: an appearance, a rectangle with an area, not hidden.
    private func isVisible(_ widget: PDFDictionary) -> Bool {
        if case .integer(let flags)? = widget["F"], flags & (2 | 32) != 0 { return false }
        guard widget["AP"] != nil else { return false }
        guard case .array(let rect)? = widget["Rect"], rect.count == 4 else { return false }
        let numbers = rect.map { item -> Double in
            switch item {
            case .integer(let value): Double(value)
            case .real(let value): value
            default: 0
            }
        }
        return abs(numbers[2] - numbers[0]) > 0.5 && abs(numbers[3] - numbers[1]) > 0.5
    }

    private func dictionary(_ value: PDFObject?, revision: Int) throws(PDFReadError) -> PDFDictionary? {
        if case .dictionary(let dictionary)? = try reader.resolve(value, revision: revision) { return dictionary }
        return nil
    }

    private func array(_ value: PDFObject?, revision: Int) throws(PDFReadError) -> [PDFObject] {
        if case .array(let items)? = try reader.resolve(value, revision: revision) { return items }
        return []
    }

    private func changedKeys(_ before: PDFDictionary, _ after: PDFDictionary) -> Set<PDFName> {
        Set(before.entries.map(\.key) + after.entries.map(\.key)).filter { key in
            guard let old = before[key], let new = after[key] else { return true }
            return !old.isEquivalent(to: new)
        }
    }

    /// How the revision uses an object, in words: `object 12 /Contents`, `the trailer /Info`.
    private func usage(_ number: Int, _ graph: ObjectGraph) -> String {
        let uses = graph.uses(of: number).prefix(3).map { use in use.from.map { "object \($0) \(use.key)" } ?? "the trailer \(use.key)" }
        return uses.isEmpty ? "object \(number)" : "used by " + uses.joined(separator: ", ")
    }

    private func sameStreamData(_ old: IndirectObject, _ new: IndirectObject) -> Bool {
        switch (old.stream, new.stream) {
        case (nil, nil): return true
        case (let a?, let b?): return a.count == b.count && reader.bytes(a) == reader.bytes(b)
        default: return false
        }
    }

    /// A signature dictionary: judged as its own signature, not as a change to the ones before it.
    private static func isSignatureValue(_ value: PDFObject) -> Bool {
        guard case .dictionary(let dictionary) = value else { return false }
        return dictionary["ByteRange"] != nil && dictionary["Contents"] != nil
    }

    /// A key some dictionary in `value` gives twice, if any.
    private static func duplicateKey(in value: PDFObject, depth: Int = 0) -> PDFName? {
        guard depth < 16 else { return nil }
        switch value {
        case .dictionary(let dictionary):
            if let key = dictionary.duplicateKeys.first { return key }
            return dictionary.entries.lazy.compactMap { duplicateKey(in: $0.value, depth: depth + 1) }.first
        case .array(let items):
            return items.lazy.compactMap { duplicateKey(in: $0, depth: depth + 1) }.first
        default:
            return nil
        }
    }

    private static func list(_ keys: Set<PDFName>) -> String { "(" + keys.map(\.description).sorted().joined(separator: ", ") + ")" }
}

extension PDFObject {
    /// Equal as a reader sees it: numbers by value (`595` and `595.0`), dictionaries in any key order.
    func isEquivalent(to other: PDFObject) -> Bool {
        switch (self, other) {
        case (.integer(let a), .real(let b)), (.real(let b), .integer(let a)): return Double(a) == b
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.isEquivalent(to: $1) }
        case (.dictionary(let a), .dictionary(let b)):
            return a.entries.count == b.entries.count && a.entries.allSatisfy { entry in b[entry.key].map { entry.value.isEquivalent(to: $0) } ?? false }
        default: return self == other
        }
    }
}
