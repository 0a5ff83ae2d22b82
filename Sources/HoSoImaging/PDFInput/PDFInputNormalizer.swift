import Foundation
import HoSoCore

/// Checks a scanner's PDF: it must open and every page must draw with poppler. A good PDF is kept
/// byte for byte as the normalized output; nothing about it is rewritten. Pages are drawn by Splash
/// (`SplashRenderer`), in bounded memory whatever the size of their images.
struct PDFInputNormalizer {
    let limits: NormalizeLimits

    struct Output {
        let pages: [PageMetadata]
        let thumbnail: ThumbnailImage
    }

    func check(_ input: URL) throws(NormalizeError) -> Output {
        try Self.requireEndOfFile(input)
        let document = try PopplerDocument(path: input.path)
        let count = document.pageCount
        guard count > 0 else { throw .corrupt(file: input.path, reason: "the PDF has no pages") }
        guard count <= limits.maximumPages else {
            throw .overLimit(file: input.path, reason: "\(count) pages, limit \(limits.maximumPages) (normalize.max_pages)")
        }
        var pages: [PageMetadata] = []
        for index in 0..<count {
            let size = try document.size(of: index)
            let widthMM = size.width / 72 * 25.4, heightMM = size.height / 72 * 25.4
            pages.append(PageMetadata(
                widthPixels: nil, heightPixels: nil, dpi: nil, bitsPerSample: nil, colourMode: nil, compression: "PDF",
                encoding: "original", widthMM: TIFFNormalizer.round(widthMM), heightMM: TIFFNormalizer.round(heightMM),
                paper: PaperClass.classify(widthMM: widthMM, heightMM: heightMM), warnings: []
            ))
        }
        // Drawing proves the pages open: the first as the thumbnail, the rest small to keep it quick.
        let renderer = SplashRenderer(path: input.path)
        let thumbnail = try renderer.thumbnail(0, longestSide: Thumbnailer.longestSide)
        try renderer.check(1..<count)
        return Output(pages: pages, thumbnail: thumbnail)
    }

    /// A PDF that does not end with `%%EOF` was cut short in transfer; poppler would quietly rebuild it,
    /// so HoSo refuses it rather than archive a guess.
    static func requireEndOfFile(_ input: URL) throws(NormalizeError) {
        do {
            let handle = try FileHandle(forReadingFrom: input)
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: size > 1024 ? size - 1024 : 0)
            let tail = Array(try handle.readToEnd() ?? Data())
            guard tail.firstRange(of: Array("%%EOF".utf8)) != nil else {
                throw NormalizeError.corrupt(file: input.path, reason: "the PDF has no %%EOF marker at its end (truncated?)")
            }
        } catch let error as NormalizeError {
            throw error
        } catch {
            throw .missing(file: input.path, reason: error.localizedDescription)
        }
    }
}
