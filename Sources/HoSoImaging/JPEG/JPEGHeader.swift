/// What a JPEG file's header says: size, components, resolution, orientation, Adobe colour transform.
/// Read from the markers before the first scan; the compressed data is never decoded.
struct JPEGHeader: Equatable {
    let width: Int
    let height: Int
    let components: Int
    let bitsPerSample: Int
    let progressive: Bool
    /// Dots per inch from JFIF or EXIF, when given.
    let dpi: (x: Double, y: Double)?
    /// EXIF orientation, 1...8.
    let orientation: Int
    /// The Adobe APP14 marker's transform flag, when there is one (0 none, 1 YCbCr, 2 YCCK).
    let adobeTransform: Int?

    static func == (lhs: JPEGHeader, rhs: JPEGHeader) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.components == rhs.components
    }

    /// Parses the markers at the start of `bytes` (which need only hold the header, not the scan).
    static func parse(_ bytes: [UInt8]) -> Result<JPEGHeader, JPEGHeaderError> {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .failure(.notJPEG) }
        var index = 2
        var dpi: (x: Double, y: Double)?
        var orientation = 1
        var adobe: Int?
        while index + 4 <= bytes.count {
            // Stray bytes between segments are skipped, as libjpeg skips them (``JPEGExtent`` counts them).
            guard bytes[index] == 0xFF else { index += 1; continue }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }  // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { index += 2; continue }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2 else { return .failure(.damaged("segment length \(length) at byte \(index)")) }
            let body = index + 4
            let end = index + 2 + length
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard body + 6 <= bytes.count else { return .failure(.headerEnds) }
                let precision = Int(bytes[body])
                let height = Int(bytes[body + 1]) << 8 | Int(bytes[body + 2])
                let width = Int(bytes[body + 3]) << 8 | Int(bytes[body + 4])
                let components = Int(bytes[body + 5])
                guard width > 0, height > 0 else { return .failure(.damaged("frame declares \(width) × \(height) pixels")) }
                guard precision == 8 else { return .failure(.unsupported("\(precision)-bit JPEG (PDF readers take 8-bit)")) }
                guard [1, 3, 4].contains(components) else { return .failure(.unsupported("JPEG with \(components) components")) }
                return .success(JPEGHeader(width: width, height: height, components: components, bitsPerSample: precision,
                                           progressive: marker == 0xC2, dpi: dpi, orientation: orientation, adobeTransform: adobe))
            case 0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
                return .failure(.unsupported("lossless, hierarchical or arithmetic-coded JPEG, which PDF's DCTDecode does not read"))
            case 0xDA, 0xD9:
                return .failure(.damaged("no frame header before the image data"))
            case 0xE0 where end <= bytes.count && Array(bytes[body..<min(end, body + 5)]) == Array("JFIF\0".utf8):
                // JFIF: units (0 aspect only, 1 per inch, 2 per cm), then X and Y density.
                if body + 12 <= end {
                    let units = bytes[body + 7]
                    let x = Double(Int(bytes[body + 8]) << 8 | Int(bytes[body + 9]))
                    let y = Double(Int(bytes[body + 10]) << 8 | Int(bytes[body + 11]))
                    if units != 0, x > 0, y > 0 { dpi = units == 2 ? (x * 2.54, y * 2.54) : (x, y) }
                }
            case 0xE1 where end <= bytes.count && Array(bytes[body..<min(end, body + 6)]) == Array("Exif\0\0".utf8):
                let exif = EXIFReader(Array(bytes[(body + 6)..<end]))
                orientation = exif.orientation ?? orientation
                if dpi == nil { dpi = exif.dpi }
            case 0xEE where end <= bytes.count && Array(bytes[body..<min(end, body + 5)]) == Array("Adobe".utf8):
                if body + 12 <= end { adobe = Int(bytes[body + 11]) }
            default:
                break
            }
            index = end
        }
        return .failure(.headerEnds)
    }
}

/// Why a JPEG header could not be used.
enum JPEGHeaderError: Error, Equatable {
    case notJPEG
    /// The bytes given end before the frame header (more of the file may hold it).
    case headerEnds
    case damaged(String)
    case unsupported(String)

    var reason: String {
        switch self {
        case .notJPEG: "not a JPEG file"
        case .headerEnds: "the header ends before a frame header"
        case .damaged(let text): text
        case .unsupported(let text): text
        }
    }
}

/// Reads the two EXIF fields HoSo uses (orientation, resolution) from an EXIF block's TIFF structure.
struct EXIFReader {
    let orientation: Int?
    let dpi: (x: Double, y: Double)?

    init(_ bytes: [UInt8]) {
        let fields = Self.read(bytes)
        orientation = fields.orientation
        if let x = fields.x, let y = fields.y, x > 0, y > 0, fields.unit != 1 {
            dpi = fields.unit == 3 ? (x * 2.54, y * 2.54) : (x, y)
        } else {
            dpi = nil
        }
    }

    private static func read(_ bytes: [UInt8]) -> (orientation: Int?, x: Double?, y: Double?, unit: Int) {
        var orientation: Int?
        var x: Double?, y: Double?, unit = 2
        guard bytes.count >= 8 else { return (nil, nil, nil, unit) }
        let little = bytes[0] == 0x49
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
            return high << 16 | low
        }
        func signed(_ value: Int) -> Int { value >= 1 << 31 ? value - (1 << 32) : value }
        /// An entry's single numeric value, read as its type says (TIFF 6.0 §2): SHORT and LONG (and their
        /// signed kinds) held in the entry, RATIONAL and SRATIONAL where it points. Text or anything
        /// else is no number: writers that store "72" as ASCII get the default resolution, with a warning.
        func number(_ entry: Int) -> Double? {
            guard let type = u16(entry + 2), let count = u32(entry + 4), count >= 1 else { return nil }
            switch type {
            case 3: return u16(entry + 8).map(Double.init)
            case 8: return u16(entry + 8).map { Double($0 >= 1 << 15 ? $0 - (1 << 16) : $0) }
            case 4: return u32(entry + 8).map(Double.init)
            case 9: return u32(entry + 8).map { Double(signed($0)) }
            case 5, 10:
                guard let at = u32(entry + 8), let numerator = u32(at), let denominator = u32(at + 4) else { return nil }
                let (n, d) = type == 5 ? (numerator, denominator) : (signed(numerator), signed(denominator))
                return d == 0 ? nil : Double(n) / Double(d)
            default: return nil
            }
        }
        guard let ifd = u32(4), let count = u16(ifd), count < 1000 else { return (nil, nil, nil, unit) }
        for entry in 0..<count {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { break }
            switch tag {
            case 0x0112: orientation = number(at).map { Int($0) }.flatMap { (1...8).contains($0) ? $0 : nil }
            case 0x011A: x = number(at)
            case 0x011B: y = number(at)
            case 0x0128: unit = number(at).map { Int($0) } ?? 2
            default: break
            }
        }
        return (orientation, x, y, unit)
    }
}
