import CTIFF
import Foundation

/// Codes bilevel rows as CCITT G4 with libtiff's encoder, one row at a time, into a scratch TIFF of a
/// single strip, whose coded bytes then go into the PDF.
///
/// A scan's own G4 data is never copied: readers disagree on what scanners wrote. libtiff decodes the
/// G4 of `testfax4.tiff` (an ImageGear file) cleanly while poppler gives up half-way down the page, so a
/// copy would archive a page no PDF reader shows. What libtiff decoded, coded again by libtiff, is what
/// every reader draws.
final class G4Encoder {
    private let file: TIFFFile
    private let height: Int
    private var written = 0

    /// Creates the scratch file at `path`; rows are `(width + 7) / 8` bytes, 0 bits white as in the
    /// scan when `minIsWhite`, else black.
    init(path: String, width: Int, height: Int, minIsWhite: Bool) throws(NormalizeError) {
        file = try TIFFFile(path: path, maximumAllocation: 64 << 20, writing: true)
        self.height = height
        let handle = file.handle
        let set = [
            hoso_tiff_set_u32(handle, UInt32(TIFFTAG_IMAGEWIDTH), UInt32(width)),
            hoso_tiff_set_u32(handle, UInt32(TIFFTAG_IMAGELENGTH), UInt32(height)),
            hoso_tiff_set_u16(handle, UInt32(TIFFTAG_BITSPERSAMPLE), 1),
            hoso_tiff_set_u16(handle, UInt32(TIFFTAG_SAMPLESPERPIXEL), 1),
            hoso_tiff_set_u16(handle, UInt32(TIFFTAG_COMPRESSION), UInt16(COMPRESSION_CCITTFAX4)),
            hoso_tiff_set_u16(handle, UInt32(TIFFTAG_PHOTOMETRIC), UInt16(minIsWhite ? PHOTOMETRIC_MINISWHITE : PHOTOMETRIC_MINISBLACK)),
            hoso_tiff_set_u16(handle, UInt32(TIFFTAG_FILLORDER), UInt16(FILLORDER_MSB2LSB)),
            hoso_tiff_set_u32(handle, UInt32(TIFFTAG_ROWSPERSTRIP), UInt32(height)),
        ]
        // libtiff would size its output buffer for the whole strip decoded (70 MB for an A0 at 600 dpi);
        // 1 MB is written out whenever it fills.
        guard set.allSatisfy({ $0 == 1 }), TIFFWriteBufferSetup(handle, nil, 1 << 20) == 1 else {
            throw .io(file: path, reason: "G4 coding cannot start: \(file.close() ?? "libtiff refused the fields")")
        }
    }

    /// Codes the next row.
    func append(_ row: inout [UInt8]) throws(NormalizeError) {
        let status = row.withUnsafeMutableBytes { TIFFWriteScanline(file.handle, $0.baseAddress, UInt32(written), 0) }
        guard status == 1 else { throw .io(file: file.path, reason: "G4 coding failed at row \(written + 1): \(file.takeError() ?? "")") }
        written += 1
    }

    /// Finishes the strip: the scratch file, opened for reading, whose strip 0 is the page's G4 data.
    func finish() throws(NormalizeError) -> TIFFFile {
        precondition(written == height, "\(written) of \(height) rows coded")
        if let error = file.close() { throw .io(file: file.path, reason: "G4 coding failed: \(error)") }
        return try TIFFFile(path: file.path, maximumAllocation: 1 << 20)
    }

    deinit { unlink(file.path) }
}
