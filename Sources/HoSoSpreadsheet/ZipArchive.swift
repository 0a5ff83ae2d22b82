/// A ZIP archive (APPNOTE 6.3) built in memory: each entry deflated, no ZIP64, so at most 65,535 entries
/// and 4 GiB in all, which a report never nears. Entries carry a fixed time (1980-01-01 00:00, the
/// format's first) so the same content gives the same bytes.
struct ZipArchive {
    enum Failure: Error, CustomStringConvertible {
        case tooLarge(String)
        case compression(Deflate.Failure)

        var description: String {
            switch self {
            case .tooLarge(let what): "the archive is too large for ZIP without ZIP64: \(what)"
            case .compression(let failure): failure.description
            }
        }
    }

    private var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    /// Adds a file at `path` (forward slashes, no leading one).
    mutating func add(_ path: String, _ content: [UInt8]) throws(Failure) {
        let compressed: [UInt8]
        do { compressed = try Deflate.raw(content) } catch { throw .compression(error) }
        let name = Array(path.utf8)
        guard let offset = UInt32(exactly: bytes.count), let size = UInt32(exactly: content.count),
              let packed = UInt32(exactly: compressed.count), count < 0xFFFF else { throw .tooLarge(path) }
        // What the local header and the central directory's record share, from "version needed" on.
        var common: [UInt8] = []
        common.append(le: UInt16(20))                   // version needed: 2.0 (deflate)
        common.append(le: UInt16(0x0800))               // flags: names in UTF-8
        common.append(le: UInt16(8))                    // method: deflate
        common.append(le: UInt16(0))                    // time 00:00:00
        common.append(le: UInt16((0 << 9) | (1 << 5) | 1))  // date 1980-01-01
        common.append(le: Deflate.crc32(content))
        common.append(le: packed)
        common.append(le: size)
        common.append(le: UInt16(name.count))
        common.append(le: UInt16(0))                    // extra field length

        bytes.append(le: UInt32(0x0403_4B50))
        bytes += common + name + compressed

        directory.append(le: UInt32(0x0201_4B50))
        directory.append(le: UInt16(20))                // made by: 2.0, MS-DOS attributes
        directory += common
        directory.append(le: UInt16(0))                 // comment length
        directory.append(le: UInt16(0))                 // disk number
        directory.append(le: UInt16(0))                 // internal attributes
        directory.append(le: UInt32(0))                 // external attributes
        directory.append(le: offset)
        directory += name
        count += 1
    }

    /// The archive's bytes: the entries, the central directory and its end record.
    func finished() throws(Failure) -> [UInt8] {
        guard let start = UInt32(exactly: bytes.count), let size = UInt32(exactly: directory.count),
              UInt32(exactly: bytes.count + directory.count) != nil else { throw .tooLarge("central directory") }
        var end: [UInt8] = []
        end.append(le: UInt32(0x0605_4B50))
        end.append(le: UInt16(0))                       // this disk
        end.append(le: UInt16(0))                       // the directory's disk
        end.append(le: UInt16(count))
        end.append(le: UInt16(count))
        end.append(le: size)
        end.append(le: start)
        end.append(le: UInt16(0))                       // comment length
        return bytes + directory + end
    }
}

extension [UInt8] {
    /// Appends `value` little-endian, as every ZIP field is.
    mutating func append<Value: FixedWidthInteger>(le value: Value) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
