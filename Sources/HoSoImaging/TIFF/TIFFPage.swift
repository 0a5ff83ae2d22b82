import CTIFF

/// The facts of one TIFF page that decide how it is normalized, read from its tags.
struct TIFFPage {
    enum Layout: Equatable {
        case strips(rowsPerStrip: Int)
        case tiles(width: Int, height: Int)
    }

    let index: Int
    let width: Int
    let height: Int
    let bitsPerSample: Int
    let samplesPerPixel: Int
    /// Samples per pixel that carry colour (the rest are alpha or other extras).
    let colourSamples: Int
    let photometric: Int32
    let compression: Int32
    let planarSeparate: Bool
    let layout: Layout
    /// TIFF Orientation, 1...8; 1 is row 0 at the top, column 0 at the left.
    let orientation: Int
    /// Resolution in dots per inch, when the file says.
    let dpi: (x: Double, y: Double)?
    let inkSetIsCMYK: Bool

    /// Reads the current page's tags; refuses what HoSo cannot represent exactly.
    init(_ file: TIFFFile, index: Int) throws(NormalizeError) {
        self.index = index
        let path = file.path
        guard let width = file.u32(TIFFTAG_IMAGEWIDTH), let height = file.u32(TIFFTAG_IMAGELENGTH), width > 0, height > 0 else {
            throw .corrupt(file: path, reason: "page \(index + 1) has no image width or height")
        }
        self.width = Int(width)
        self.height = Int(height)
        bitsPerSample = Int(file.u16Defaulted(TIFFTAG_BITSPERSAMPLE))
        samplesPerPixel = Int(file.u16Defaulted(TIFFTAG_SAMPLESPERPIXEL))
        guard [1, 2, 4, 8, 16].contains(bitsPerSample) else {
            throw .unsupported(file: path, reason: "page \(index + 1) has \(bitsPerSample) bits per sample (1, 2, 4, 8 or 16 supported)")
        }
        guard samplesPerPixel >= 1, samplesPerPixel <= 8 else {
            throw .corrupt(file: path, reason: "page \(index + 1) declares \(samplesPerPixel) samples per pixel")
        }
        let sampleFormat = file.u16Defaulted(TIFFTAG_SAMPLEFORMAT)
        guard sampleFormat == UInt16(SAMPLEFORMAT_UINT) else {
            throw .unsupported(file: path, reason: "page \(index + 1) has signed or floating-point samples; scans use unsigned integers")
        }
        colourSamples = samplesPerPixel - file.extraSamples().count
        guard let photometric = file.u16(TIFFTAG_PHOTOMETRIC) else {
            throw .corrupt(file: path, reason: "page \(index + 1) has no PhotometricInterpretation")
        }
        self.photometric = Int32(photometric)
        compression = Int32(file.u16Defaulted(TIFFTAG_COMPRESSION))
        guard TIFFIsCODECConfigured(UInt16(compression)) == 1 else {
            throw .unsupported(file: path, reason: "page \(index + 1) uses compression \(compression), which this libtiff cannot decode")
        }
        planarSeparate = file.u16Defaulted(TIFFTAG_PLANARCONFIG) == UInt16(PLANARCONFIG_SEPARATE) && samplesPerPixel > 1
        if file.isTiled {
            guard let tileWidth = file.u32(TIFFTAG_TILEWIDTH), let tileHeight = file.u32(TIFFTAG_TILELENGTH),
                  tileWidth > 0, tileHeight > 0 else {
                throw .corrupt(file: path, reason: "page \(index + 1) is tiled but has no tile size")
            }
            layout = .tiles(width: Int(tileWidth), height: Int(tileHeight))
        } else {
            let rows = Int(file.u32(TIFFTAG_ROWSPERSTRIP) ?? height)
            layout = .strips(rowsPerStrip: max(1, min(rows, Int(height))))
        }
        let orientation = Int(file.u16Defaulted(TIFFTAG_ORIENTATION))
        self.orientation = (1...8).contains(orientation) ? orientation : 1
        inkSetIsCMYK = file.u16Defaulted(TIFFTAG_INKSET) == UInt16(INKSET_CMYK)

        let unit = file.u16Defaulted(TIFFTAG_RESOLUTIONUNIT)
        if let x = file.float(TIFFTAG_XRESOLUTION), let y = file.float(TIFFTAG_YRESOLUTION), x > 0, y > 0,
           x.isFinite, y.isFinite, unit != UInt16(RESUNIT_NONE) {
            let perInch = unit == UInt16(RESUNIT_CENTIMETER) ? 2.54 : 1.0
            dpi = (Double(x) * perInch, Double(y) * perInch)
        } else {
            dpi = nil
        }
    }

    var pixelCount: Int64 { Int64(width) * Int64(height) }

    /// Bytes of one decoded row of one plane (all samples when contiguous).
    var bytesPerRow: Int {
        let samples = planarSeparate ? 1 : samplesPerPixel
        return (width * samples * bitsPerSample + 7) / 8
    }
}
