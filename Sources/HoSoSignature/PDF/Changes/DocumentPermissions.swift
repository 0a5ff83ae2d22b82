import HoSoPDF

/// What a document's certification (DocMDP) and its signatures' field locks (FieldMDP) allow to change
/// after each signature (ISO 32000-2 §12.8.2.2–12.8.2.4).
///
/// Levels are DocMDP's `/P`: 1 no changes (validation data and document timestamps aside), 2 form
/// filling and signing, 3 also annotations. A lock's `/P` (PDF 2.0) can only make a level stricter: the
/// strictest of everything signed before a change applies to it.
struct DocumentPermissions {
    /// The certification signature: its field, its level, the revision it signed.
    struct Certification: Hashable {
        let field: String
        let level: Int
        let revision: Int
    }

    /// One signature's field lock, in force for every change after the revision it signed.
    struct Lock: Hashable {
        enum Scope: Hashable { case all, include([String]), exclude([String]) }
        let field: String
        let revision: Int
        let scope: Scope
        let level: Int?

        func covers(_ name: String) -> Bool {
            switch scope {
            case .all: true
            case .include(let names): names.contains(name)
            case .exclude(let names): !names.contains(name)
            }
        }
    }

    let certification: Certification?
    let locks: [Lock]
    /// A certification signature that is not the first signature: the field named, which fails.
    let misplacedCertification: String?

    static let none = DocumentPermissions(certification: nil, locks: [], misplacedCertification: nil)

    /// The level in force for a change made by `revision`; nil when no certification or lock sets one.
    func level(forChangeIn revision: Int) -> Int? {
        let levels = ([certification].compactMap { $0 }.filter { $0.revision < revision }.map(\.level))
            + locks.filter { $0.revision < revision }.compactMap(\.level)
        return levels.min()
    }

    /// Whether field `name` was locked by a signature made before `revision`.
    func isLocked(_ name: String, forChangeIn revision: Int) -> Bool {
        locks.contains { $0.revision < revision && $0.covers(name) }
    }

    /// Reads the certification named by the catalog's `/Perms /DocMDP` and each signed field's lock
    /// (its `/Lock`, and any FieldMDP reference in its signature dictionary).
    static func read(_ reader: PDFReader, fields: [SignatureField]) -> DocumentPermissions {
        var certification: Certification?
        var misplaced: String?
        let signed = fields.compactMap { field in field.signedRevision(in: reader).map { (field, $0) } }
        if case .dictionary(let catalog)? = try? reader.resolve(reader.trailer["Root"]),
           case .dictionary(let perms)? = try? reader.resolve(catalog["Perms"]),
           case .reference(let docMDP)? = perms["DocMDP"],
           let (field, revision) = signed.first(where: { $0.0.signature?.reference.number == docMDP.number }) {
            let level = transform("DocMDP", in: field.dictionary, reader: reader).flatMap { integer($0["P"]) } ?? 2
            certification = Certification(field: field.name, level: min(max(level, 1), 3), revision: revision)
            if let first = signed.map(\.1).min(), first < revision { misplaced = field.name }
        }
        var locks: [Lock] = []
        for (field, revision) in signed {
            var dictionaries: [PDFDictionary] = []
            if case .dictionary(let lock)? = try? reader.resolve(field.field["Lock"]) { dictionaries.append(lock) }
            if let params = transform("FieldMDP", in: field.dictionary, reader: reader) { dictionaries.append(params) }
            for lock in dictionaries {
                let names: [String] = {
                    guard case .array(let items)? = try? reader.resolve(lock["Fields"]) else { return [] }
                    return items.compactMap { item in
                        if case .string(let name)? = try? reader.resolve(item) { return name.text }
                        return nil
                    }
                }()
                let scope: Lock.Scope = switch lock["Action"] {
                case .name("Include")?: .include(names)
                case .name("Exclude")?: .exclude(names)
                default: .all
                }
                locks.append(Lock(field: field.name, revision: revision, scope: scope, level: integer(lock["P"]).map { min(max($0, 1), 3) }))
            }
        }
        return DocumentPermissions(certification: certification, locks: locks, misplacedCertification: misplaced)
    }

    /// The `/TransformParams` of the signature dictionary's `/Reference` entry with this method.
    private static func transform(_ method: PDFName, in dictionary: PDFDictionary?, reader: PDFReader) -> PDFDictionary? {
        guard case .array(let references)? = try? reader.resolve(dictionary?["Reference"]) else { return nil }
        for item in references {
            guard case .dictionary(let reference)? = try? reader.resolve(item), reference["TransformMethod"] == .name(method) else { continue }
            if case .dictionary(let params)? = try? reader.resolve(reference["TransformParams"]) { return params }
            return PDFDictionary()
        }
        return nil
    }

    private static func integer(_ value: PDFObject?) -> Int? {
        if case .integer(let number)? = value { return number }
        return nil
    }
}
