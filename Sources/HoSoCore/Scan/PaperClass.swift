/// The ISO 216 A-series sheet a page is, or `custom`.
public enum PaperClass: String, Sendable, Codable, CaseIterable {
    case a4 = "A4", a3 = "A3", a2 = "A2", a1 = "A1", a0 = "A0", custom

    /// Portrait width and height in millimetres.
    public var size: (Double, Double)? {
        switch self {
        case .a4: (210, 297)
        case .a3: (297, 420)
        case .a2: (420, 594)
        case .a1: (594, 841)
        case .a0: (841, 1189)
        case .custom: nil
        }
    }

    /// Scanners crop and pad a little: a side within this many millimetres (or 2 %) still matches.
    public static let toleranceMM = 5.0

    /// The class of a page of `width` × `height` millimetres, in either orientation.
    public static func classify(widthMM: Double, heightMM: Double) -> PaperClass {
        let short = min(widthMM, heightMM), long = max(widthMM, heightMM)
        for paper in allCases {
            guard let (w, h) = paper.size else { continue }
            if abs(short - w) <= max(toleranceMM, w * 0.02), abs(long - h) <= max(toleranceMM, h * 0.02) { return paper }
        }
        return .custom
    }
}
