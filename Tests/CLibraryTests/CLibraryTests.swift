import COpenSSL
import CPoppler
import CTIFF
import CZlib
import Foundation
import Testing

/// One call into each system library, so a missing or mislinked library fails here first.
@Suite struct CLibraryTests {
    @Test func openSSL_isVersion3() {
        #expect(OpenSSL_version_num() >= 0x3000_0000)
    }

    @Test func libtiff_writesAndReadsBackAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("clib-\(UUID()).tif").path
        defer { unlink(path) }
        let out = try #require(TIFFOpen(path, "w"))
        hoso_tiff_set_u32(out, UInt32(TIFFTAG_IMAGEWIDTH), 8)
        hoso_tiff_set_u32(out, UInt32(TIFFTAG_IMAGELENGTH), 2)
        hoso_tiff_set_u16(out, UInt32(TIFFTAG_BITSPERSAMPLE), 8)
        hoso_tiff_set_u16(out, UInt32(TIFFTAG_SAMPLESPERPIXEL), 1)
        hoso_tiff_set_u16(out, UInt32(TIFFTAG_PHOTOMETRIC), UInt16(PHOTOMETRIC_MINISBLACK))
        var row: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7]
        #expect(TIFFWriteScanline(out, &row, 0, 0) == 1)
        #expect(TIFFWriteScanline(out, &row, 1, 0) == 1)
        TIFFClose(out)

        let back = try #require(TIFFOpen(path, "r"))
        defer { TIFFClose(back) }
        var width: UInt32 = 0
        hoso_tiff_get_u32(back, UInt32(TIFFTAG_IMAGEWIDTH), &width)
        #expect(width == 8)
    }

    @Test func poppler_reportsItsVersion() {
        let version = String(cString: poppler_get_version())
        #expect(version.split(separator: ".").count >= 2)
    }

    @Test func zlib_roundTripsBytes() {
        var source = [UInt8](repeating: 65, count: 4096)
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(4096)))
        var compressedLength = uLongf(compressed.count)
        #expect(compress(&compressed, &compressedLength, &source, 4096) == Z_OK)
        #expect(compressedLength < 100)
        var restored = [UInt8](repeating: 0, count: 4096)
        var restoredLength = uLongf(4096)
        #expect(uncompress(&restored, &restoredLength, &compressed, compressedLength) == Z_OK)
        #expect(restored == source)
    }
}
