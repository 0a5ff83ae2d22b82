/// How a page's colours are stored: what the ND 30/2020 baseline ("colour") asks about.
public enum ColourMode: String, Sendable, Codable, CaseIterable {
    /// One bit per pixel, black and white.
    case bilevel
    case gray
    /// A palette of up to 256 colours.
    case palette
    case rgb
    case cmyk
}
