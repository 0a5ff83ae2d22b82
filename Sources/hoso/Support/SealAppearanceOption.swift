import Foundation
import HoSoImaging
import HoSoSignature

extension PDFSigner.Appearance {
    /// The ND 30/2020 seal appearance: `seal` drawn with the signer's name and time in a box given in
    /// millimetres (x, y, width, height from the page's lower-left corner) on `page`.
    static func seal(_ seal: URL, page: Page, millimetres: [Double]) throws(DrawingError) -> PDFSigner.Appearance {
        let box = millimetres.map { $0 * 72 / 25.4 }
        let drawing = try SealAppearance(width: box[2], height: box[3], seal: seal)
        return PDFSigner.Appearance(page: page, box: box) { signer, time in try drawing.render(signer: signer, time: time) }
    }
}
