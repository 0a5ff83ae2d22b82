import Foundation

/// Writes a new PDF file front to back, streaming: objects go to disk as they are added, and only their
/// offsets stay in memory.
///
/// The file is written under a temporary name beside its destination and renamed into place by
/// ``commit()``, after an fsync; a writer that is abandoned (or a process that dies) leaves no file at
/// the destination.
public final class PDFFileWriter {
    public let destination: URL
    private let temporary: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var offsets: [Int: Int] = [:]
    private var nextNumber = 1
    private var openStream: (reference: PDFReference, length: PDFReference, start: Int)?
    private var finished = false
    private let durable: Bool

    /// Starts a file that will appear at `destination` on ``commit()``.
    /// - Parameter durable: fsync the file before renaming it into place; a scratch file that is copied
    ///   elsewhere durably may skip it.
    public init(destination: URL, version: String = "1.7", durable: Bool = true) throws {
        self.destination = destination
        self.durable = durable
        temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw PDFWriteError.cannotCreate(path: temporary.path)
        }
        handle = try FileHandle(forWritingTo: temporary)
        // The binary comment tells transfer tools the file is not text (ISO 32000-2 §7.5.2).
        append(Array("%PDF-\(version)\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// Reserves an object number, for objects that must be referred to before they are written.
    public func allocate() -> PDFReference {
        defer { nextNumber += 1 }
        return PDFReference(number: nextNumber)
    }

    /// Writes `object` as the indirect object `reference`.
    public func write(_ object: PDFObject, as reference: PDFReference) throws {
        precondition(openStream == nil, "finish the open stream first")
        try beginObject(reference)
        append(object.bytes)
        append(Array("\nendobj\n".utf8))
    }

    /// Writes a stream whose data is in memory; `/Length` is set from it.
    public func writeStream(_ dictionary: PDFDictionary, data: [UInt8], as reference: PDFReference) throws {
        var dictionary = dictionary
        dictionary["Length"] = .integer(data.count)
        try beginObject(reference)
        append(PDFObject.dictionary(dictionary).bytes)
        append(Array("\nstream\n".utf8))
        append(data)
        append(Array("\nendstream\nendobj\n".utf8))
        try flushIfLarge()
    }

    /// Starts a stream whose data will be appended in pieces; its `/Length` is an indirect object
    /// written by ``endStream()``, so its size need not be known in advance.
    public func beginStream(_ dictionary: PDFDictionary, as reference: PDFReference) throws {
        precondition(openStream == nil, "only one stream can be open")
        let length = allocate()
        var dictionary = dictionary
        dictionary["Length"] = .reference(length)
        try beginObject(reference)
        append(PDFObject.dictionary(dictionary).bytes)
        append(Array("\nstream\n".utf8))
        openStream = (reference, length, position)
    }

    /// Appends data to the open stream.
    public func appendToStream(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(openStream != nil, "no stream is open")
        append(Array(bytes))
        try flushIfLarge()
    }

    /// Appends data to the open stream.
    public func appendToStream(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try appendToStream($0) }
    }

    /// Ends the open stream and writes its length object.
    public func endStream() throws {
        guard let stream = openStream else { preconditionFailure("no stream is open") }
        let length = position - stream.start
        append(Array("\nendstream\nendobj\n".utf8))
        openStream = nil
        try write(.integer(length), as: stream.length)
    }

    /// Writes the cross-reference table and trailer, fsyncs and renames the file into place.
    ///
    /// - Parameters:
    ///   - root: the document catalog.
    ///   - info: the document information dictionary, if any.
    ///   - documentID: the two halves of the file identifier (ISO 32000-2 §14.4).
    public func commit(root: PDFReference, info: PDFReference? = nil, documentID: ([UInt8], [UInt8])? = nil) throws {
        precondition(openStream == nil, "finish the open stream first")
        let missing = (1..<nextNumber).filter { offsets[$0] == nil }
        guard missing.isEmpty else { throw PDFWriteError.unwrittenObjects(missing) }
        let xrefOffset = position
        var table = Array("xref\n0 \(nextNumber)\n0000000000 65535 f\r\n".utf8)
        for number in 1..<nextNumber {
            let offset = String(offsets[number]!)
            table += Array((String(repeating: "0", count: 10 - offset.count) + offset + " 00000 n\r\n").utf8)
        }
        append(table)
        var trailer: PDFDictionary = ["Size": .integer(nextNumber), "Root": .reference(root)]
        if let info { trailer["Info"] = .reference(info) }
        if let documentID {
            trailer["ID"] = .array([.string(PDFString(bytes: documentID.0, form: .hex)),
                                    .string(PDFString(bytes: documentID.1, form: .hex))])
        }
        append(Array("trailer\n".utf8) + PDFObject.dictionary(trailer).bytes + Array("\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8))
        try flush()
        if durable { try handle.synchronize() }
        try handle.close()
        finished = true
        guard rename(temporary.path, destination.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw PDFWriteError.cannotCreate(path: destination.path)
        }
    }

    /// Bytes written so far.
    public var byteCount: Int { position }

    private func beginObject(_ reference: PDFReference) throws {
        precondition(offsets[reference.number] == nil, "object \(reference.number) written twice")
        precondition(reference.number < nextNumber, "object \(reference.number) was not allocated")
        offsets[reference.number] = position
        append(Array("\(reference.number) \(reference.generation) obj\n".utf8))
    }

    private func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        position += bytes.count
    }

    private func flushIfLarge() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Why a PDF could not be written.
public enum PDFWriteError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotCreate(path: String)
    case unwrittenObjects([Int])
    case compression(String)

    public var description: String {
        switch self {
        case .cannotCreate(let path): "\(path): cannot be created"
        case .unwrittenObjects(let numbers): "objects \(numbers.map(String.init).joined(separator: ", ")) were allocated but never written"
        case .compression(let reason): "Flate compression failed: \(reason)"
        }
    }
}
