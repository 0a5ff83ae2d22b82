/// An ICC v2 display profile for sRGB (IEC 61966-2-1), built in code: the output intent that makes the
/// normalized files PDF/A-2b. Written from the standard's numbers, so it needs no profile file on disk.
enum SRGBProfile {
    static let bytes: [UInt8] = build()

    private static func build() -> [UInt8] {
        let description = tag("desc", textDescription("sRGB IEC61966-2.1 (HoSo)"))
        let copyright = tag("cprt", text("No copyright, use freely"))
        let white = tag("wtpt", xyz(0.9642, 1.0, 0.8249))  // D50, the PCS illuminant
        // sRGB primaries adapted to D50 (Bradford), as in the standard's reference profile.
        let red = tag("rXYZ", xyz(0.4361, 0.2225, 0.0139))
        let green = tag("gXYZ", xyz(0.3851, 0.7169, 0.0971))
        let blue = tag("bXYZ", xyz(0.1431, 0.0606, 0.7141))
        let curve = curveData()
        var tags: [(String, [UInt8])] = [description, copyright, white, red, green, blue]
        tags += [("rTRC", curve), ("gTRC", curve), ("bTRC", curve)]

        let tableSize = 4 + tags.count * 12
        var offset = 128 + tableSize
        var table = be32(tags.count)
        var data: [UInt8] = []
        var curveOffset: Int?
        for (signature, payload) in tags {
            // The three tone curves are identical; they share one copy, as the ICC format allows.
            if signature.hasSuffix("TRC"), let shared = curveOffset {
                table += Array(signature.utf8) + be32(shared) + be32(payload.count)
                continue
            }
            if signature.hasSuffix("TRC") { curveOffset = offset }
            table += Array(signature.utf8) + be32(offset) + be32(payload.count)
            let padded = payload + [UInt8](repeating: 0, count: (4 - payload.count % 4) % 4)
            data += padded
            offset += padded.count
        }
        let size = 128 + table.count + data.count
        var header = be32(size)
        header += [UInt8](repeating: 0, count: 4)  // preferred CMM: none
        header += [0x02, 0x10, 0x00, 0x00]  // version 2.1
        header += Array("mntrRGB XYZ ".utf8)  // display device, RGB data, XYZ connection space
        header += be16(2024) + be16(1) + be16(1) + be16(0) + be16(0) + be16(0)  // creation date
        header += Array("acsp".utf8)
        header += [UInt8](repeating: 0, count: 4 + 4 + 4 + 4 + 8)  // platform, flags, manufacturer, model, attributes
        header += be32(0)  // perceptual intent
        header += s15(0.9642) + s15(1.0) + s15(0.8249)  // PCS illuminant D50
        header += [UInt8](repeating: 0, count: 4)  // creator
        header += [UInt8](repeating: 0, count: 128 - header.count)
        return header + table + data
    }

    private static func tag(_ signature: String, _ payload: [UInt8]) -> (String, [UInt8]) { (signature, payload) }

    private static func xyz(_ x: Double, _ y: Double, _ z: Double) -> [UInt8] {
        Array("XYZ ".utf8) + [0, 0, 0, 0] + s15(x) + s15(y) + s15(z)
    }

    private static func text(_ string: String) -> [UInt8] {
        Array("text".utf8) + [0, 0, 0, 0] + Array(string.utf8) + [0]
    }

    private static func textDescription(_ string: String) -> [UInt8] {
        var out = Array("desc".utf8) + [0, 0, 0, 0]
        out += be32(string.utf8.count + 1) + Array(string.utf8) + [0]
        out += be32(0) + be32(0)  // no Unicode description
        out += be16(0) + [0] + [UInt8](repeating: 0, count: 67)  // no ScriptCode description
        return out
    }

    /// The sRGB transfer function sampled at 1024 points.
    private static func curveData() -> [UInt8] {
        let count = 1024
        var out = Array("curv".utf8) + [0, 0, 0, 0] + be32(count)
        for i in 0..<count {
            let v = Double(i) / Double(count - 1)
            let linear = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            out += be16(Int((linear * 65535).rounded()))
        }
        return out
    }

    private static func pow(_ base: Double, _ exponent: Double) -> Double {
        // exp(log(x) * y) without Foundation, for x > 0.
        base <= 0 ? 0 : exp(log(base) * exponent)
    }

    private static func be32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    /// ICC s15Fixed16Number.
    private static func s15(_ value: Double) -> [UInt8] { be32(Int((value * 65536).rounded())) }
}

import Foundation
