/// Where copied objects go: a new file (`PDFFileWriter`) or a revision appended to one
/// (`IncrementalUpdate`).
public protocol PDFObjectSink {
    /// A new object number.
    mutating func allocate() -> PDFReference
    /// Writes `object` as `reference`.
    mutating func write(_ object: PDFObject, as reference: PDFReference) throws
    /// Writes a stream with `data` as its (already coded) bytes; `/Length` is set from them.
    mutating func writeStream(_ dictionary: PDFDictionary, data: [UInt8], as reference: PDFReference) throws
}

extension PDFFileWriter: PDFObjectSink {}

extension IncrementalUpdate: PDFObjectSink {
    public mutating func write(_ object: PDFObject, as reference: PDFReference) {
        set(reference, object)
    }

    public mutating func writeStream(_ dictionary: PDFDictionary, data: [UInt8], as reference: PDFReference) {
        var dictionary = dictionary
        dictionary["Length"] = .integer(data.count)
        set(reference, raw: PDFObject.dictionary(dictionary).bytes + Array("\nstream\n".utf8) + data + Array("\nendstream".utf8))
    }
}
