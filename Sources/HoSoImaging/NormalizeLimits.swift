/// Limits checked from a file's headers before anything is allocated for it.
public struct NormalizeLimits: Hashable, Sendable, Codable {
    /// Largest page, in pixels. The default admits A0 at 600 dpi (19,866 × 28,087 ≈ 558 Mpx) with room
    /// for oversize maps, and refuses a declared 100,000 × 100,000.
    public var maximumPagePixels: Int64
    /// Most pages in one document.
    public var maximumPages: Int
    /// Largest input file, in bytes.
    public var maximumInputBytes: Int64
    /// Resolution assumed when a scan does not say; ND 30/2020's baseline for copies.
    public var defaultDPI: Double
    /// Largest single allocation a decoder may make (libtiff's cap), so a hostile header cannot ask for
    /// gigabytes.
    public var maximumSingleAllocation: Int
    /// Strips that decode to more than this are read row by row, so a whole page stored in one strip
    /// (as some scanners write) never needs a buffer of its size.
    public var maximumStripBuffer: Int

    public init(
        maximumPagePixels: Int64 = 1_000_000_000, maximumPages: Int = 2000, maximumInputBytes: Int64 = 8 << 30,
        defaultDPI: Double = 200, maximumSingleAllocation: Int = 256 << 20, maximumStripBuffer: Int = 16 << 20
    ) {
        self.maximumPagePixels = maximumPagePixels
        self.maximumPages = maximumPages
        self.maximumInputBytes = maximumInputBytes
        self.defaultDPI = defaultDPI
        self.maximumSingleAllocation = maximumSingleAllocation
        self.maximumStripBuffer = maximumStripBuffer
    }
}
