/// The pages the samples show: a desk receipt, an application form, a land map.
///
/// Text is Vietnamese written without diacritics, as machine-printed codes and many old forms are; the
/// layout follows the real documents (national motto top right, agency top left, the case code in bold).
enum SamplePages {
    /// Pixels for `millimetres` at `dpi`.
    static func px(_ millimetres: Double, _ dpi: Double) -> Int { Int((millimetres / 25.4 * dpi).rounded()) }

    /// A4 portrait in pixels at `dpi`.
    static func a4(_ dpi: Double) -> (width: Int, height: Int) { (px(210, dpi), px(297, dpi)) }

    /// The receipt and appointment slip (Biểu 01, TT 01/2018) the desk prints for a case, with `code`
    /// printed top-left as TT 01/2023 has it (QR modules 0.5 mm, Code128 modules 0.25 mm × 12 mm).
    static func receipt(caseID: String, dpi: Double, code: (SymbolMatrix.Symbology, SymbolMatrix)? = nil) -> PageLayout {
        let (width, height) = a4(dpi)
        var page = PageLayout(width: width, height: height, background: .white)
        let s = max(1, Int((dpi / 100).rounded()))  // font scale: 7 font px ≈ 10 pt text
        let left = px(20, dpi), right = width - px(15, dpi)
        var y = px(15, dpi)
        if let (symbology, matrix) = code {
            let moduleWidth = max(2, px(symbology == .qr ? 0.5 : 0.25, dpi))
            let moduleHeight = symbology == .qr ? moduleWidth : px(12, dpi)
            page.items.append(.symbol(matrix, x: left, y: px(12, dpi), moduleWidth: moduleWidth, moduleHeight: moduleHeight))
            y = px(12, dpi) + matrix.height * moduleHeight + px(5, dpi)
        }
        y = page.officialHeading(agency: ("UBND TINH BAC NINH", "BO PHAN MOT CUA"), title: "GIAY TIEP NHAN HO SO VA HEN TRA KET QUA",
                                 caseID: caseID, left: left, right: right, top: y, scale: s, gapBeforeTitle: 25 * s)
        let lines = [
            "BO PHAN TIEP NHAN VA TRA KET QUA: VAN PHONG DANG KY DAT DAI",
            "TIEP NHAN HO SO CUA: NGUYEN VAN AN",
            "DIA CHI: THON DONG, XA TAM SON, TX TU SON, TINH BAC NINH",
            "SO DIEN THOAI: 0912 345 678",
            "NOI DUNG YEU CAU GIAI QUYET: DANG KY BIEN DONG DAT DAI (1.001193)",
            "",
            "1. THANH PHAN HO SO NOP GOM:",
            "   - DON DANG KY BIEN DONG DAT DAI (MAU 09/DK)     BAN CHINH  01",
            "   - GIAY CHUNG NHAN QUYEN SU DUNG DAT             BAN CHINH  01",
            "   - HOP DONG CHUYEN NHUONG (CONG CHUNG)           BAN CHINH  01",
            "2. SO LUONG HO SO: 01 (BO)",
            "3. THOI GIAN GIAI QUYET: 10 NGAY LAM VIEC",
            "4. THOI GIAN NHAN HO SO: 08 GIO 30 PHUT, NGAY 15/08/2024",
            "5. THOI GIAN TRA KET QUA: 17 GIO 00 PHUT, NGAY 29/08/2024",
            "6. NHAN KET QUA TAI: BO PHAN MOT CUA, TX TU SON",
        ]
        for line in lines {
            page.text(line, x: left, y: y, scale: s)
            y += 13 * s
        }
        y += 20 * s
        page.text("NGUOI NOP HO SO", x: left + px(10, dpi), y: y, scale: s)
        page.text("NGUOI TIEP NHAN HO SO", x: width / 2 + px(10, dpi), y: y, scale: s)
        y += 45 * s
        page.text("NGUYEN VAN AN", x: left + px(10, dpi), y: y, scale: s)
        page.text("TRAN THI BINH", x: width / 2 + px(10, dpi), y: y, scale: s)
        page.items.append(.frame(x: left - px(5, dpi), y: px(10, dpi), width: right - left + px(10, dpi),
                                 height: y + 20 * s - px(10, dpi), thickness: max(1, s / 2), colour: .black))
        return page
    }

    /// A page of an application form, in colour: a navy header band, form lines, and on the last page the
    /// commune's red seal over the signature.
    static func applicationForm(page number: Int, of count: Int, dpi: Double) -> PageLayout {
        let (width, height) = a4(dpi)
        var page = PageLayout(width: width, height: height, background: .paper)
        let s = max(1, Int((dpi / 100).rounded()))
        let left = px(20, dpi)
        page.items.append(.fill(x: 0, y: px(8, dpi), width: width, height: px(12, dpi), colour: .navy))
        page.text("MAU SO 09/DK", x: left, y: px(11, dpi), scale: s, colour: .white)
        page.text("TRANG \(number)/\(count)", x: width - px(50, dpi), y: px(11, dpi), scale: s, colour: .white)
        var y = px(30, dpi)
        let title = number == 1 ? "DON DANG KY BIEN DONG DAT DAI, TAI SAN GAN LIEN VOI DAT" : "PHAN KE KHAI (TIEP THEO)"
        page.text(title, x: left, y: y, scale: 2 * s, colour: .navy)
        y += 25 * s
        for index in 1...18 {
            page.text("\(number).\(index) THONG TIN KE KHAI", x: left, y: y, scale: s, colour: .navy)
            page.items.append(.fill(x: left + px(60, dpi), y: y + 7 * s, width: width - left - px(80, dpi),
                                    height: max(1, s / 2), colour: Colour(red: 120, green: 120, blue: 160)))
            y += 16 * s
        }
        if number == count {
            let cx = width - px(60, dpi), cy = height - px(60, dpi)
            page.text("NGUOI VIET DON", x: cx - px(20, dpi), y: cy - px(30, dpi), scale: s)
            page.items.append(.ring(centreX: cx, centreY: cy, radius: px(18, dpi), thickness: px(1.2, dpi), colour: .sealRed))
            page.items.append(.ring(centreX: cx, centreY: cy, radius: px(13, dpi), thickness: px(0.6, dpi), colour: .sealRed))
            page.text("UBND XA", x: cx - 21 * s, y: cy - 3 * s, scale: s, colour: .sealRed)
        }
        return page
    }

    /// The result of a case (kết quả giải quyết): a one-page decision of the land registration office,
    /// as the office prints it before the records clerk signs the scan or the PDF.
    static func result(caseID: String, dpi: Double) -> PageLayout {
        let (width, height) = a4(dpi)
        var page = PageLayout(width: width, height: height, background: .white)
        let s = max(1, Int((dpi / 100).rounded()))
        let left = px(25, dpi), right = width - px(15, dpi)
        var y = page.officialHeading(agency: ("UBND THI XA TU SON", "VAN PHONG DANG KY DAT DAI"), title: "THONG BAO KET QUA GIAI QUYET HO SO",
                                     caseID: caseID, left: left, right: right, top: px(15, dpi), scale: s, gapBeforeTitle: 30 * s)
        for line in [
            "CAN CU LUAT DAT DAI NGAY 18/01/2024;",
            "CAN CU HO SO DANG KY BIEN DONG DAT DAI CUA ONG NGUYEN VAN AN,",
            "VAN PHONG DANG KY DAT DAI THONG BAO:",
            "",
            "1. HO SO DA DUOC GIAI QUYET: DANG KY BIEN DONG DAT DAI (1.001193).",
            "2. THUA DAT SO 125, TO BAN DO SO 07, XA TAM SON: DA CAP NHAT BIEN DONG.",
            "3. KET QUA TRA TAI BO PHAN MOT CUA THI XA TU SON.",
        ] {
            page.text(line, x: left, y: y, scale: s)
            y += 13 * s
        }
        y += 25 * s
        page.text("GIAM DOC", x: width - px(70, dpi), y: y, scale: s)
        return page
    }

    /// An office's round red seal (con dấu) on a transparent background, as `hoso sign --appearance`
    /// takes it (ND 30/2020: the seal image in red, PNG with transparency): RGBA rows, 40 mm across.
    static func seal(dpi: Double) -> (width: Int, height: Int, rgba: [UInt8]) {
        let size = px(40, dpi), s = max(1, Int((dpi / 100).rounded()))
        var layout = PageLayout(width: size, height: size, background: .white)
        let c = size / 2
        layout.items.append(.ring(centreX: c, centreY: c, radius: c - 2, thickness: px(1.4, dpi), colour: .sealRed))
        layout.items.append(.ring(centreX: c, centreY: c, radius: px(13, dpi), thickness: px(0.7, dpi), colour: .sealRed))
        layout.text("UBND XA", x: c - 42 * s, y: c - px(5, dpi), scale: 2 * s, colour: .sealRed)
        layout.text("MOT CUA", x: c - 42 * s, y: c + px(1, dpi), scale: 2 * s, colour: .sealRed)
        var rgba = [UInt8](repeating: 0, count: size * size * 4)
        var row = [UInt8](repeating: 0, count: size * 3)
        for y in 0..<size {
            layout.renderRow(y, into: &row)
            for x in 0..<size where row[x * 3 + 1] != 255 {
                rgba.replaceSubrange((y * size + x) * 4..<((y * size + x) * 4 + 4), with: [row[x * 3], row[x * 3 + 1], row[x * 3 + 2], 255])
            }
        }
        return (size, size, rgba)
    }

    typealias Colour = PageLayout.Colour
}

/// A large-format land map (bản đồ địa chính) drawn procedurally, row by row: parcel boundaries on a
/// cream background, roads, and scanner noise so it compresses like a real scan rather than a drawing.
struct MapSheet: Sendable {
    let width: Int
    let height: Int
    let dpi: Double
    /// A QR code printed 20 mm from the top-left corner, modules 0.5 mm, as a map's case label would be.
    var code: SymbolMatrix?

    func renderRow(_ y: Int, into rgb: inout [UInt8]) {
        let cell = max(8, Int(dpi * 0.8))  // parcels about 2 cm across
        let line = max(1, Int(dpi / 150))
        let band = y / cell
        let shift = (band &* 2_654_435_761) % cell  // each row of parcels is offset, like real plots
        let onHorizontal = y % cell < line
        let roadY = abs((y % (cell * 7)) - cell * 3) < line * 3
        var noise = UInt32(truncatingIfNeeded: y &* 1_103_515_245 &+ 12345)
        for x in 0..<width {
            noise = noise &* 1_664_525 &+ 1_013_904_223
            let jitter = Int(noise >> 29) - 4  // ±4 levels of scanner noise
            var r = 238, g = 232, b = 210
            let onVertical = (x + shift) % cell < line
            if onHorizontal || onVertical {
                r = 60; g = 50; b = 45
            } else if roadY || abs(((x + y / 3) % (cell * 9)) - cell * 4) < line * 2 {
                r = 200; g = 120; b = 70
            }
            rgb[x * 3] = UInt8(clamping: r + jitter)
            rgb[x * 3 + 1] = UInt8(clamping: g + jitter)
            rgb[x * 3 + 2] = UInt8(clamping: b + jitter)
        }
        if let code {
            let margin = SamplePages.px(20, dpi), module = max(2, SamplePages.px(0.5, dpi))
            // A white quiet zone of 4 modules around the code, then its dark modules.
            let quiet = 4 * module
            let top = margin - quiet, bottom = margin + code.height * module + quiet
            guard y >= top, y < bottom else { return }
            for x in max(0, margin - quiet)..<min(width, margin + code.width * module + quiet) {
                rgb[x * 3] = 255; rgb[x * 3 + 1] = 255; rgb[x * 3 + 2] = 255
            }
            guard y >= margin, y < margin + code.height * module else { return }
            for (column, dark) in code.rows[(y - margin) / module].enumerated() where dark {
                for x in (margin + column * module)..<min(width, margin + (column + 1) * module) {
                    rgb[x * 3] = 0; rgb[x * 3 + 1] = 0; rgb[x * 3 + 2] = 0
                }
            }
        }
    }
}
