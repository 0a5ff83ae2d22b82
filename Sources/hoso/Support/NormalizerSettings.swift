import HoSoConfig
import HoSoImaging

extension Configuration {
    /// The normalizer with the limits and level this configuration sets.
    var normalizer: Normalizer {
        let limits = NormalizeLimits(
            maximumPagePixels: Int64(integer(ConfigKeys.normalizeMaxPagePixels) ?? 1_000_000_000),
            maximumPages: integer(ConfigKeys.normalizeMaxPages) ?? 2000,
            maximumInputBytes: Int64(integer(ConfigKeys.ingestMaxInputBytes) ?? 8 << 30),
            defaultDPI: Double(integer(ConfigKeys.normalizeDefaultDPI) ?? 200)
        )
        return Normalizer(limits: limits, flateLevel: Int32(integer(ConfigKeys.normalizeFlateLevel) ?? 3))
    }
}
