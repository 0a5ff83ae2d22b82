import Foundation

/// Where a JPEG file's primary image ends, found by walking its markers and scans as a decoder does
/// (fed the file in chunks, so memory stays flat whatever the file's size).
///
/// A file whose data stops before the end-of-image marker is truncated: a reader would paint the rest of
/// the page grey, so it is refused rather than archived. Bytes after the end marker (a phone's HDR gain
/// map, an MPF second image, padding) are not part of the picture and are not copied. Stray bytes
/// between markers are skipped and counted, as libjpeg skips them.
struct JPEGExtent {
    /// The offset just past the primary image's end-of-image marker, once found.
    private(set) var end: Int?
    /// Bytes between segments that were not markers.
    private(set) var strayBytes = 0

    private enum State {
        /// Expecting 0xFF then a marker byte.
        case marker(sawFF: Bool)
        /// Reading a segment's two length bytes.
        case length(marker: UInt8, high: UInt8?)
        /// Skipping the rest of a segment; a scan's data follows an SOS header.
        case skip(remaining: Int, scanFollows: Bool)
        /// Inside entropy-coded data, after a 0xFF or not.
        case entropy(sawFF: Bool)
    }

    private var state = State.marker(sawFF: false)
    private var offset = 0
    /// The file must start with SOI; checked on the first two bytes.
    private var started = false

    /// Feeds the next chunk of the file; returns true once the end is found (the rest need not be fed).
    mutating func consume(_ chunk: UnsafeRawBufferPointer) throws(JPEGHeaderError) -> Bool {
        var index = 0
        if !started {
            guard chunk.count >= 2, chunk[0] == 0xFF, chunk[1] == 0xD8 else { throw .notJPEG }
            started = true
            index = 2
        }
        while index < chunk.count {
            let byte = chunk[index]
            switch state {
            case .marker(let sawFF):
                if !sawFF {
                    if byte == 0xFF { state = .marker(sawFF: true) } else { strayBytes += 1 }
                } else if byte == 0xFF {
                    // A fill byte.
                } else if byte == 0x00 {
                    // 0xFF 0x00 outside a scan: stray too.
                    strayBytes += 2
                    state = .marker(sawFF: false)
                } else if byte == 0xD9 {
                    end = offset + index + 1
                    return true
                } else if (0xD0...0xD7).contains(byte) || byte == 0xD8 || byte == 0x01 {
                    state = .marker(sawFF: false)
                } else {
                    state = .length(marker: byte, high: nil)
                }
                index += 1
            case .length(let marker, let high):
                if let high {
                    let length = Int(high) << 8 | Int(byte)
                    guard length >= 2 else { throw .damaged("segment length \(length) at byte \(offset + index - 3)") }
                    state = .skip(remaining: length - 2, scanFollows: marker == 0xDA)
                } else {
                    state = .length(marker: marker, high: byte)
                }
                index += 1
            case .skip(let remaining, let scanFollows):
                let step = min(remaining, chunk.count - index)
                index += step
                if step == remaining {
                    state = scanFollows ? .entropy(sawFF: false) : .marker(sawFF: false)
                } else {
                    state = .skip(remaining: remaining - step, scanFollows: scanFollows)
                }
            case .entropy(let sawFF):
                if !sawFF {
                    // Most of a file: find the next 0xFF quickly.
                    guard let found = memchr(chunk.baseAddress! + index, 0xFF, chunk.count - index) else { index = chunk.count; continue }
                    index = chunk.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
                    state = .entropy(sawFF: true)
                    continue
                }
                if byte == 0x00 || (0xD0...0xD7).contains(byte) {
                    state = .entropy(sawFF: false)
                } else if byte == 0xFF {
                    // Fill bytes before a marker.
                } else if byte == 0xD9 {
                    end = offset + index + 1
                    return true
                } else {
                    // A marker between scans (DHT, SOS of a progressive file's next scan, DRI, …).
                    state = .length(marker: byte, high: nil)
                }
                index += 1
            }
        }
        offset += chunk.count
        return false
    }

    /// After the whole file was fed without finding the end: why it is damaged.
    var truncation: JPEGHeaderError {
        switch state {
        case .entropy: .damaged("the image data stops before the end-of-image marker (truncated file)")
        default: .damaged("the file stops before the end-of-image marker (truncated file)")
        }
    }
}
