import CTIFF

/// How one TIFF page goes into the PDF. Baseline JPEG data is copied as it is; G4 pages are decoded and
/// coded again as G4 (``G4Encoder`` says why); everything else is decoded and Flate-compressed losslessly.
enum TIFFPagePlan {
    /// Decode the page and code it again as one G4 `CCITTFaxDecode` image.
    case ccittG4
    /// Copy each strip's or tile's JPEG data as a `DCTDecode` image, completing it with the shared tables.
    case jpeg(colourSpace: String, colorTransform: Int?, tables: [UInt8]?)
    /// Decode the rows and write them Flate-compressed with a PNG predictor.
    case flate(SampleLayout, decodeJPEGAsRGB: Bool)

    /// Chooses the plan for `page`, or says why the page cannot be represented exactly.
    static func choose(for page: TIFFPage, file: TIFFFile) throws(NormalizeError) -> TIFFPagePlan {
        let onePlainSample = page.samplesPerPixel == 1 && (page.photometric == PHOTOMETRIC_MINISWHITE || page.photometric == PHOTOMETRIC_MINISBLACK)
        if page.compression == COMPRESSION_CCITTFAX4, page.bitsPerSample == 1, onePlainSample {
            return .ccittG4
        }
        if page.compression == COMPRESSION_JPEG, page.bitsPerSample == 8, !page.planarSeparate,
           page.colourSamples == page.samplesPerPixel {
            switch (page.photometric, page.samplesPerPixel) {
            case (PHOTOMETRIC_YCBCR, 3): return .jpeg(colourSpace: "DeviceRGB", colorTransform: nil, tables: file.jpegTables())
            case (PHOTOMETRIC_RGB, 3): return .jpeg(colourSpace: "DeviceRGB", colorTransform: 0, tables: file.jpegTables())
            case (PHOTOMETRIC_MINISBLACK, 1): return .jpeg(colourSpace: "DeviceGray", colorTransform: nil, tables: file.jpegTables())
            default: break  // CMYK JPEG: Adobe's inverted-CMYK convention makes readers disagree; decode instead
            }
        }
        return .flate(try layout(for: page, file: file), decodeJPEGAsRGB: page.compression == COMPRESSION_JPEG)
    }

    /// How the page's decoded rows are laid out (what ``TIFFRowReader`` hands out, JPEG asked for RGB).
    static func layout(for page: TIFFPage, file: TIFFFile) throws(NormalizeError) -> SampleLayout {
        func refuse(_ reason: String) -> NormalizeError {
            .unsupported(file: file.path, reason: "page \(page.index + 1): \(reason)")
        }
        let colour: SampleLayout.Colour
        var samples = page.samplesPerPixel
        var bits = page.bitsPerSample
        switch page.photometric {
        case PHOTOMETRIC_MINISWHITE, PHOTOMETRIC_MINISBLACK:
            colour = .gray(minIsWhite: page.photometric == PHOTOMETRIC_MINISWHITE)
        case PHOTOMETRIC_RGB:
            guard page.colourSamples >= 3 else { throw refuse("RGB with \(page.colourSamples) colour samples") }
            colour = .rgb
        case PHOTOMETRIC_PALETTE:
            guard page.samplesPerPixel == 1, page.bitsPerSample <= 8 else { throw refuse("palette images need 1 sample of at most 8 bits") }
            guard let map = file.colormap(bitsPerSample: page.bitsPerSample) else {
                throw .corrupt(file: file.path, reason: "page \(page.index + 1) is a palette image without a colour map")
            }
            var table: [UInt8] = []
            for i in 0..<map.red.count { table += [UInt8(map.red[i] >> 8), UInt8(map.green[i] >> 8), UInt8(map.blue[i] >> 8)] }
            colour = .palette(table)
        case PHOTOMETRIC_SEPARATED:
            guard page.inkSetIsCMYK, page.colourSamples == 4 else { throw refuse("separated colour other than CMYK") }
            colour = .cmyk
        case PHOTOMETRIC_YCBCR where page.compression == COMPRESSION_JPEG:
            // libtiff's JPEG codec converts to RGB for us (JPEGCOLORMODE_RGB).
            colour = .rgb
            samples = 3
            bits = 8
        case PHOTOMETRIC_YCBCR:
            // Old-style JPEG, or YCbCr stored plain: libtiff's RGBA interface converts it, a strip at a time.
            guard page.samplesPerPixel == 3, page.bitsPerSample == 8, !page.planarSeparate else {
                throw refuse("YCbCr with \(page.samplesPerPixel) samples of \(page.bitsPerSample) bits\(page.planarSeparate ? " in separate planes" : "")")
            }
            guard case .strips = page.layout else { throw refuse("tiled YCbCr other than new-style JPEG") }
            colour = .rgb
        default:
            throw refuse("PhotometricInterpretation \(page.photometric) (gray, RGB, palette, CMYK and YCbCr are supported)")
        }
        if samples > SampleLayout(colour: colour, samplesPerPixel: samples, bitsPerSample: bits, width: page.width).colourSamples,
           bits < 8 {
            throw refuse("extra samples with \(bits)-bit data")
        }
        if page.planarSeparate, bits < 8 { throw refuse("separate planes with \(bits)-bit samples") }
        return SampleLayout(colour: colour, samplesPerPixel: samples, bitsPerSample: bits, width: page.width)
    }

    /// A name for the page's compression, for metadata.
    static func compressionName(_ code: Int32) -> String {
        switch code {
        case COMPRESSION_NONE: "none"
        case COMPRESSION_CCITTRLE: "CCITT RLE"
        case COMPRESSION_CCITTFAX3: "CCITT G3"
        case COMPRESSION_CCITTFAX4: "CCITT G4"
        case COMPRESSION_LZW: "LZW"
        case COMPRESSION_OJPEG: "old-style JPEG"
        case COMPRESSION_JPEG: "JPEG"
        case COMPRESSION_ADOBE_DEFLATE, COMPRESSION_DEFLATE: "Deflate"
        case COMPRESSION_PACKBITS: "PackBits"
        default: "compression \(code)"
        }
    }
}
