import HoSoPDF
import HoSoCore

/// What a decoded row's samples mean: how many per pixel, how wide, and which colours they stand for.
/// Turns rows into the PDF image's samples and into RGB for thumbnails.
struct SampleLayout {
    enum Colour {
        /// One sample; `minIsWhite` when 0 is white (TIFF PhotometricInterpretation 0).
        case gray(minIsWhite: Bool)
        case rgb
        /// One index into `palette` (RGB, 8 bits each).
        case palette([UInt8])
        case cmyk
    }

    let colour: Colour
    let samplesPerPixel: Int
    let bitsPerSample: Int
    let width: Int

    /// Samples that carry colour; any after them (alpha) are dropped from the PDF image.
    var colourSamples: Int {
        switch colour {
        case .gray, .palette: 1
        case .rgb: 3
        case .cmyk: 4
        }
    }

    var hasExtraSamples: Bool { samplesPerPixel > colourSamples }

    /// One 1-bit sample per pixel: black and white.
    var isBilevel: Bool { bitsPerSample == 1 && samplesPerPixel == 1 }

    var colourMode: ColourMode {
        switch colour {
        case .gray: bitsPerSample == 1 ? .bilevel : .gray
        case .rgb: .rgb
        case .palette: .palette
        case .cmyk: .cmyk
        }
    }

    /// Bytes of one row of the PDF image.
    var outputRowBytes: Int { (width * colourSamples * bitsPerSample + 7) / 8 }

    /// The PDF colour space.
    var colourSpace: PDFObject {
        switch colour {
        case .gray: .name("DeviceGray")
        case .rgb: .name("DeviceRGB")
        case .cmyk: .name("DeviceCMYK")
        case .palette(let table):
            .array([.name("Indexed"), .name("DeviceRGB"), .integer(table.count / 3 - 1),
                    .string(PDFString(bytes: table, form: .hex))])
        }
    }

    /// A `/Decode` array when sample values must be read inverted (0 = white).
    var decode: PDFObject? {
        if case .gray(minIsWhite: true) = colour { return [1, 0] }
        return nil
    }

    /// The row as the PDF image stores it: the colour samples, extras dropped. Returns `row` itself when
    /// there is nothing to drop.
    func imageRow(_ row: [UInt8]) -> [UInt8] {
        guard hasExtraSamples else { return row.count == outputRowBytes ? row : Array(row.prefix(outputRowBytes)) }
        let bytes = bitsPerSample / 8  // extras only occur with 8- or 16-bit samples (checked in the plan)
        var out = [UInt8](repeating: 0, count: outputRowBytes)
        for x in 0..<width {
            for s in 0..<colourSamples * bytes {
                out[x * colourSamples * bytes + s] = row[x * samplesPerPixel * bytes + s]
            }
        }
        return out
    }

    /// Every `step`-th pixel of the row as 8-bit RGB, for thumbnails; `out` holds at least
    /// `ceil(width / step)` pixels. The common layouts have their own loops: this runs for every row
    /// of a thumbnail's page.
    func rgbRow(_ row: [UInt8], into out: inout [UInt8], step: Int = 1) {
        let spp = samplesPerPixel
        row.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                var i = 0
                switch (colour, bitsPerSample) {
                case (.gray(let minIsWhite), 1):
                    let (ink, paper): (UInt8, UInt8) = minIsWhite ? (0, 255) : (255, 0)
                    for x in stride(from: 0, to: width, by: step) {
                        let value = input[x >> 3] & (0x80 >> UInt8(x & 7)) != 0 ? ink : paper
                        output[i] = value; output[i + 1] = value; output[i + 2] = value
                        i += 3
                    }
                case (.gray(let minIsWhite), 8):
                    for x in stride(from: 0, to: width, by: step) {
                        let value = minIsWhite ? 255 - input[x * spp] : input[x * spp]
                        output[i] = value; output[i + 1] = value; output[i + 2] = value
                        i += 3
                    }
                case (.rgb, 8):
                    for x in stride(from: 0, to: width, by: step) {
                        output[i] = input[x * spp]; output[i + 1] = input[x * spp + 1]; output[i + 2] = input[x * spp + 2]
                        i += 3
                    }
                case (.rgb, 16):
                    for x in stride(from: 0, to: width, by: step) {
                        // Big-endian: the first byte of each sample is its high byte.
                        output[i] = input[x * spp * 2]; output[i + 1] = input[x * spp * 2 + 2]; output[i + 2] = input[x * spp * 2 + 4]
                        i += 3
                    }
                default:
                    for x in stride(from: 0, to: width, by: step) {
                        genericPixel(row, x, into: output, at: i)
                        i += 3
                    }
                }
            }
        }
    }

    /// Any layout, one pixel: slower, for the layouts the loops above do not cover.
    private func genericPixel(_ row: [UInt8], _ x: Int, into out: UnsafeMutableBufferPointer<UInt8>, at i: Int) {
        let base = x * samplesPerPixel
        switch colour {
        case .gray(let minIsWhite):
            let level = sample(row, base)
            let value = minIsWhite ? 255 - level : level
            out[i] = value; out[i + 1] = value; out[i + 2] = value
        case .rgb:
            out[i] = sample(row, base); out[i + 1] = sample(row, base + 1); out[i + 2] = sample(row, base + 2)
        case .palette(let table):
            let index = Int(rawSample(row, base))
            let entry = min(index, table.count / 3 - 1) * 3
            out[i] = table[entry]; out[i + 1] = table[entry + 1]; out[i + 2] = table[entry + 2]
        case .cmyk:
            let k = Int(sample(row, base + 3))
            out[i] = UInt8(255 - min(255, Int(sample(row, base)) + k))
            out[i + 1] = UInt8(255 - min(255, Int(sample(row, base + 1)) + k))
            out[i + 2] = UInt8(255 - min(255, Int(sample(row, base + 2)) + k))
        }
    }

    /// Sample number `index` of the row, as stored (not scaled).
    private func rawSample(_ row: [UInt8], _ index: Int) -> UInt16 {
        switch bitsPerSample {
        case 8: return UInt16(row[index])
        case 16: return UInt16(row[index * 2]) << 8 | UInt16(row[index * 2 + 1])
        default:
            let bit = index * bitsPerSample
            let byte = row[bit / 8]
            let shift = 8 - bitsPerSample - bit % 8
            return UInt16(byte >> UInt8(shift)) & UInt16((1 << bitsPerSample) - 1)
        }
    }

    /// Sample number `index` scaled to 0...255.
    private func sample(_ row: [UInt8], _ index: Int) -> UInt8 {
        let value = rawSample(row, index)
        switch bitsPerSample {
        case 16: return UInt8(value >> 8)
        case 8: return UInt8(value)
        default: return UInt8(Int(value) * 255 / ((1 << bitsPerSample) - 1))
        }
    }
}
