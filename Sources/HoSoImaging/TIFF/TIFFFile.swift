import CTIFF
import Foundation

/// An open TIFF file, with libtiff's errors captured instead of printed: a scan HoSo reads, or a scratch
/// file it writes (``G4Encoder``).
///
/// Owns its `TIFF*` and the diagnostics buffer libtiff writes into; `close()` or `deinit` closes the
/// first, `deinit` frees the second. Not shareable between threads while in use (libtiff handles are not).
final class TIFFFile {
    let path: String
    let handle: OpaquePointer
    let maximumAllocation: Int
    private let diagnostics: UnsafeMutablePointer<hoso_tiff_diagnostics>
    private var open = true

    /// Opens `path` for reading (or creates it, `writing`), capping any single libtiff allocation at
    /// `maximumAllocation` bytes.
    init(path: String, maximumAllocation: Int, writing: Bool = false) throws(NormalizeError) {
        self.path = path
        self.maximumAllocation = maximumAllocation
        diagnostics = .allocate(capacity: 1)
        diagnostics.initialize(to: hoso_tiff_diagnostics())
        guard let handle = hoso_tiff_open(path, writing ? "w" : "rm", diagnostics, tmsize_t(maximumAllocation)) else {
            let found = Self.message(diagnostics)
            diagnostics.deallocate()
            if writing { throw .io(file: path, reason: "cannot be created: \(found ?? String(cString: strerror(errno)))") }
            throw .corrupt(file: path, reason: found.map { "not a readable TIFF: \($0)" } ?? "not a readable TIFF")
        }
        self.handle = handle
    }

    /// Closes the file: for one being written, libtiff writes out the rest of its data and its directory
    /// here. Returns the first error libtiff reported, if any.
    @discardableResult
    func close() -> String? {
        if open { TIFFClose(handle) }
        open = false
        return takeError()
    }

    deinit {
        if open { TIFFClose(handle) }
        diagnostics.deallocate()
    }

    /// The first error libtiff reported since the last call, if any; clears it.
    func takeError() -> String? {
        defer {
            diagnostics.pointee.error_count = 0
        }
        return Self.message(diagnostics)
    }

    /// The first warning libtiff gave since the last call, if any; clears it.
    func takeWarning() -> String? {
        defer { diagnostics.pointee.warning_count = 0 }
        guard diagnostics.pointee.warning_count > 0 else { return nil }
        return withUnsafeBytes(of: diagnostics.pointee.first_warning) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func message(_ diagnostics: UnsafeMutablePointer<hoso_tiff_diagnostics>) -> String? {
        guard diagnostics.pointee.error_count > 0 else { return nil }
        return withUnsafeBytes(of: diagnostics.pointee.first_error) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Number of pages (image file directories).
    var pageCount: Int { Int(TIFFNumberOfDirectories(handle)) }

    /// libtiff's warning when it replaced the current page's strip table, which it found wrong, with a
    /// guess ("Bogus StripByteCounts … calculating from imagelength"): the rows it would hand out are not
    /// the ones the scanner wrote.
    private(set) var guessedStripTable: String?

    /// Makes page `index` (from 0) the current one.
    func select(page index: Int) throws(NormalizeError) {
        _ = takeWarning()
        guard TIFFSetDirectory(handle, tdir_t(index)) == 1 else {
            throw .corrupt(file: path, reason: takeError() ?? "page \(index + 1) cannot be read")
        }
        let warning = takeWarning()
        guessedStripTable = warning.flatMap { $0.contains("\"StripByteCounts\"") || $0.contains("\"StripOffsets\"") ? $0 : nil }
    }

    var isBigTIFF: Bool { TIFFIsBigTIFF(handle) != 0 }

    func u16(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        return hoso_tiff_get_u16(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    func u16Defaulted(_ tag: Int32) -> UInt16 {
        var value: UInt16 = 0
        _ = hoso_tiff_get_u16_defaulted(handle, UInt32(tag), &value)
        return value
    }

    func u32(_ tag: Int32) -> UInt32? {
        var value: UInt32 = 0
        return hoso_tiff_get_u32(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    func float(_ tag: Int32) -> Float? {
        var value: Float = 0
        return hoso_tiff_get_float(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    /// The JPEGTables tag's bytes (quantization and Huffman tables shared by all strips).
    func jpegTables() -> [UInt8]? {
        var count: UInt32 = 0
        var data: UnsafeMutableRawPointer?
        guard hoso_tiff_get_jpegtables(handle, &count, &data) == 1, let data, count > 0 else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: Int(count)))
    }

    /// The colour map, as three arrays of 16-bit values, for palette images.
    func colormap(bitsPerSample: Int) -> (red: [UInt16], green: [UInt16], blue: [UInt16])? {
        var red: UnsafeMutablePointer<UInt16>?, green: UnsafeMutablePointer<UInt16>?, blue: UnsafeMutablePointer<UInt16>?
        guard hoso_tiff_get_colormap(handle, &red, &green, &blue) == 1, let red, let green, let blue else { return nil }
        let count = 1 << bitsPerSample
        return (Array(UnsafeBufferPointer(start: red, count: count)), Array(UnsafeBufferPointer(start: green, count: count)),
                Array(UnsafeBufferPointer(start: blue, count: count)))
    }

    /// The kinds of extra samples (alpha and the like) after the colour ones.
    func extraSamples() -> [UInt16] {
        var count: UInt16 = 0
        var kinds: UnsafeMutablePointer<UInt16>?
        guard hoso_tiff_get_extrasamples(handle, &count, &kinds) == 1, let kinds else { return [] }
        return Array(UnsafeBufferPointer(start: kinds, count: Int(count)))
    }

    func ycbcrSubsampling() -> (Int, Int) {
        var horizontal: UInt16 = 2, vertical: UInt16 = 2
        _ = hoso_tiff_get_ycbcr_subsampling(handle, &horizontal, &vertical)
        return (Int(horizontal), Int(vertical))
    }

    var isTiled: Bool { TIFFIsTiled(handle) != 0 }
    var stripCount: Int { Int(TIFFNumberOfStrips(handle)) }
    var tileCount: Int { Int(TIFFNumberOfTiles(handle)) }

    /// Where strip or tile `index` starts in the file, and how many coded bytes it has.
    func codedExtent(of index: Int) -> (offset: UInt64, count: UInt64) {
        (TIFFGetStrileOffset(handle, UInt32(index)), TIFFGetStrileByteCount(handle, UInt32(index)))
    }
}
