/// Where one object lives, as a cross-reference section says.
public enum XrefEntry: Hashable, Sendable {
    case free
    case inUse(offset: Int, generation: Int)
    /// Inside object stream `stream`, as its `index`-th object.
    case compressed(stream: Int, index: Int)
}

/// One revision of a PDF: the original file, or an incremental update appended to it (ISO 32000-2
/// §7.5.6). Each has its cross-reference section and trailer, and ends at its own `%%EOF`.
public struct PDFRevision: Hashable, Sendable {
    /// 0 for the original file, counting up through the updates.
    public let index: Int
    public let xrefOffset: Int
    public let trailer: PDFDictionary
    /// The objects this revision's section lists (added, changed or freed by it).
    public let entries: [Int: XrefEntry]
    /// The offset just past this revision's `%%EOF` line: the file's length as this revision left it.
    public let end: Int
    /// Whether the section is a cross-reference stream (PDF 1.5) rather than a table.
    public let usesXrefStream: Bool
}
