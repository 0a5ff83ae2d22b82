/// A small picture of page 1, 8-bit RGB, row after row, as every reader hands it to the PNG writer.
struct ThumbnailImage: Sendable {
    let width: Int
    let height: Int
    let rgb: [UInt8]

    init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(width > 0 && height > 0 && rgb.count == width * height * 3, "\(rgb.count) bytes for \(width) × \(height) RGB")
        (self.width, self.height, self.rgb) = (width, height, rgb)
    }

    /// The PNG file of it.
    func png() throws -> [UInt8] { try PNGWriter.encode(width: width, height: height, rgb: rgb) }
}
