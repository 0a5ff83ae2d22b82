import CJPEG

/// A JPEG's thumbnail, decoded by libjpeg at 1/2, 1/4 or 1/8 of its size (the DCT's own scaling: the
/// full-size image is never made) and fed row by row to the ``Thumbnailer``. Memory is libjpeg's tables
/// and one row, whatever the page's size; poppler, asked to draw the page, would decode it whole.
///
/// Decoding it is also the check that readers can: an error libjpeg cannot get past means the file is
/// damaged. A progressive JPEG keeps all its coefficients while it decodes; past ``memoryLimit`` it
/// gets a blank thumbnail and a warning instead of the memory.
enum JPEGThumbnail {
    /// libjpeg's working memory for one thumbnail: a progressive colour scan of about 20 Mpx (A3 at
    /// 300 dpi) fits; baseline JPEGs, what scanners write, need a few rows whatever their size.
    static let memoryLimit = 64 << 20

    enum Outcome {
        case drawn(ThumbnailImage)
        /// Too large to decode within the limit: a blank thumbnail of the page's shape.
        case blank(ThumbnailImage, reason: String)
    }

    static func make(_ path: String, header: JPEGHeader) throws(NormalizeError) -> Outcome {
        var message = [CChar](repeating: 0, count: Int(JMSG_LENGTH_MAX))
        // The smallest scale that still gives at least the thumbnail's size.
        var denominator = 8
        while denominator > 1, max(header.width, header.height) / denominator < Thumbnailer.longestSide { denominator /= 2 }
        guard let reader = hoso_jpeg_open(path, Int32(denominator), memoryLimit, &message) else {
            return try failure(String(cString: message), path: path, header: header)
        }
        defer { hoso_jpeg_close(reader) }
        let width = Int(hoso_jpeg_width(reader)), height = Int(hoso_jpeg_height(reader))
        let components = Int(hoso_jpeg_components(reader))
        let layout = SampleLayout(colour: components == 1 ? .gray(minIsWhite: false) : .rgb, samplesPerPixel: components == 1 ? 1 : 3,
                                  bitsPerSample: 8, width: width)
        var thumbnail = Thumbnailer(width: width, height: height, layout: layout)
        var decoded = [UInt8](repeating: 0, count: width * components)
        var row = [UInt8](repeating: 0, count: width * layout.samplesPerPixel)
        var scratch: [UInt8] = []
        for y in 0..<height {
            guard decoded.withUnsafeMutableBufferPointer({ hoso_jpeg_read_row(reader, $0.baseAddress, &message) }) == 1 else {
                return try failure(String(cString: message), path: path, header: header)
            }
            guard thumbnail.wants(row: y) else { continue }
            if components == 4 {
                cmykToRGB(decoded, into: &row, inverted: header.adobeTransform != nil)
                thumbnail.add(row: row, layout: layout, at: y, scratch: &scratch)
            } else {
                thumbnail.add(row: decoded, layout: layout, at: y, scratch: &scratch)
            }
        }
        return .drawn(thumbnail.oriented(PageOrientation(header.orientation)))
    }

    /// libjpeg's hard errors mean no reader can show the page; running out of the memory limit only means
    /// this thumbnail is not drawn.
    private static func failure(_ message: String, path: String, header: JPEGHeader) throws(NormalizeError) -> Outcome {
        guard message.contains("memory") || message.contains("Backing store") else {
            throw .corrupt(file: path, reason: "its image data cannot be decoded (libjpeg: \(message))")
        }
        let page = Thumbnailer(width: header.width, height: header.height).oriented(PageOrientation(header.orientation))
        return .blank(page,
                      reason: "no thumbnail: decoding it would take more than \(memoryLimit >> 20) MB (libjpeg: \(message))")
    }

    /// CMYK as libjpeg hands it out to RGB; Photoshop's Adobe-marked files store the inks inverted.
    private static func cmykToRGB(_ cmyk: [UInt8], into rgb: inout [UInt8], inverted: Bool) {
        for pixel in 0..<(cmyk.count / 4) {
            var (c, m, y, k) = (Int(cmyk[pixel * 4]), Int(cmyk[pixel * 4 + 1]), Int(cmyk[pixel * 4 + 2]), Int(cmyk[pixel * 4 + 3]))
            if !inverted { (c, m, y, k) = (255 - c, 255 - m, 255 - y, 255 - k) }
            rgb[pixel * 3] = UInt8(c * k / 255)
            rgb[pixel * 3 + 1] = UInt8(m * k / 255)
            rgb[pixel * 3 + 2] = UInt8(y * k / 255)
        }
    }
}
