import CZBar
import HoSoImaging

/// zbar, looking for QR codes and Code128 barcodes only, in 8-bit grey images.
///
/// Owns its image scanner; `deinit` destroys it. One decoder per thread.
final class ZBarDecoder {
    private let scanner: OpaquePointer

    init() {
        scanner = zbar_image_scanner_create()
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        zbar_image_scanner_set_config(scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1)
    }

    deinit { zbar_image_scanner_destroy(scanner) }

    /// The codes in `image`, in the order zbar reports them.
    func decode(_ image: GrayImage) -> [Barcode] {
        guard image.width > 0, image.height > 0 else { return [] }
        return image.pixels.withUnsafeBytes { raw -> [Barcode] in
            let zimage = zbar_image_create()
            defer { zbar_image_destroy(zimage) }
            zbar_image_set_format(zimage, hoso_zbar_format_y800())
            zbar_image_set_size(zimage, UInt32(image.width), UInt32(image.height))
            // No cleanup handler: the pixels stay the array's, alive until this closure returns.
            zbar_image_set_data(zimage, raw.baseAddress, UInt(raw.count), nil)
            guard zbar_scan_image(scanner, zimage) > 0 else { return [] }
            var codes: [Barcode] = []
            var symbol = zbar_image_first_symbol(zimage)
            while let current = symbol {
                let symbology: Barcode.Symbology? = switch zbar_symbol_get_type(current) {
                case ZBAR_QRCODE: .qr
                case ZBAR_CODE128: .code128
                default: nil
                }
                if let symbology, let data = zbar_symbol_get_data(current) {
                    let length = Int(zbar_symbol_get_data_length(current))
                    let bytes = UnsafeRawBufferPointer(start: data, count: length)
                    codes.append(Barcode(symbology: symbology, text: String(decoding: bytes, as: UTF8.self)))
                }
                symbol = zbar_symbol_next(current)
            }
            return codes
        }
    }
}
