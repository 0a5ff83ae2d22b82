import CZlib

/// Decodes the stream filters a PDF's structure uses (xref streams, object streams): Flate, with the
/// PNG and TIFF predictors. Output is capped, so a compression bomb costs an error, not the memory.
enum StreamDecoder {
    static func decode(_ data: UnsafeRawBufferPointer, dictionary: PDFDictionary, limit: Int, at offset: Int) throws(PDFReadError) -> [UInt8] {
        var filters: [PDFName] = []
        switch dictionary["Filter"] {
        case nil: break
        case .name(let name)?: filters = [name]
        case .array(let items)?:
            for item in items {
                guard case .name(let name) = item else { throw PDFReadError(at: offset, "a /Filter entry is not a name") }
                filters.append(name)
            }
        default: throw PDFReadError(at: offset, "/Filter is neither a name nor an array")
        }
        var bytes = Array(data)
        for filter in filters {
            guard filter == "FlateDecode" else {
                throw PDFReadError(at: offset, "the filter \(filter) is not supported in a PDF's structure")
            }
            bytes = try inflate(bytes, limit: limit, at: offset)
        }
        if case .dictionary(let parameters)? = dictionary["DecodeParms"], case .integer(let predictor)? = parameters["Predictor"], predictor >= 10 {
            let columns: Int
            if case .integer(let value)? = parameters["Columns"] { columns = value } else { columns = 1 }
            bytes = try unpredict(bytes, columns: columns, at: offset)
        } else if case .dictionary(let parameters)? = dictionary["DecodeParms"], case .integer(let predictor)? = parameters["Predictor"],
                  predictor == 2 {
            throw PDFReadError(at: offset, "the TIFF predictor is not supported in a PDF's structure")
        }
        return bytes
    }

    static func inflate(_ input: [UInt8], limit: Int, at offset: Int) throws(PDFReadError) -> [UInt8] {
        var stream = z_stream()
        guard hoso_inflate_init(&stream) == Z_OK else { throw PDFReadError(at: offset, "zlib cannot start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let result = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return Z_MEM_ERROR }
                if result == Z_STREAM_END { return Z_OK }
                if result != Z_OK { return result }
                if stream.avail_in == 0, produced == 0 { return Z_BUF_ERROR }
            }
        }
        if output.count > limit { throw PDFReadError(at: offset, "a structure stream inflates to more than \(limit) bytes") }
        guard status == Z_OK || (status == Z_BUF_ERROR && !output.isEmpty) else {
            throw PDFReadError(at: offset, "a Flate stream is damaged (zlib \(status))")
        }
        return output
    }

    /// Undoes PNG row predictors (one filter byte before each row).
    static func unpredict(_ data: [UInt8], columns: Int, at offset: Int) throws(PDFReadError) -> [UInt8] {
        guard columns > 0 else { throw PDFReadError(at: offset, "/Columns must be positive") }
        let rowLength = columns + 1
        guard data.count % rowLength == 0 else { throw PDFReadError(at: offset, "predicted data is not whole rows of \(columns)") }
        var out: [UInt8] = []
        out.reserveCapacity(data.count / rowLength * columns)
        var previous = [UInt8](repeating: 0, count: columns)
        for rowStart in stride(from: 0, to: data.count, by: rowLength) {
            let type = data[rowStart]
            var row = Array(data[(rowStart + 1)..<(rowStart + rowLength)])
            for i in 0..<columns {
                let left = i > 0 ? Int(row[i - 1]) : 0, up = Int(previous[i]), upLeft = i > 0 ? Int(previous[i - 1]) : 0
                let add: Int
                switch type {
                case 0: add = 0
                case 1: add = left
                case 2: add = up
                case 3: add = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
                    add = pa <= pb && pa <= pc ? left : (pb <= pc ? up : upLeft)
                default: throw PDFReadError(at: offset, "PNG predictor type \(type) is not defined")
                }
                row[i] = UInt8(truncatingIfNeeded: Int(row[i]) + add)
            }
            out += row
            previous = row
        }
        return out
    }
}
