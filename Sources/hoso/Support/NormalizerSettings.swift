import Foundation
import HoSoConfig
import HoSoImaging
import HoSoIngest
import HoSoWorkers

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

extension Configuration {
    /// The page corner the barcode rule reads.
    var cornerRegion: CornerRegion {
        CornerRegion(
            widthMM: Double(integer(ConfigKeys.barcodeRegionWidthMM) ?? 120),
            heightMM: Double(integer(ConfigKeys.barcodeRegionHeightMM) ?? 100),
            dpi: Double(integer(ConfigKeys.barcodeDPI) ?? 200)
        )
    }

    /// How long ingestion pauses after a fault that is not a scan's.
    var ingestRetryDelay: Duration { .seconds(integer(ConfigKeys.ingestRetrySeconds) ?? 30) }

    /// How long a PostgreSQL catalog operation waits for a connection before it is refused as unavailable.
    var catalogConnectionWait: Duration { .seconds(integer(ConfigKeys.catalogConnectionWaitSeconds) ?? 10) }

    /// How often a node tries to take a station another holds, and the holder checks it still does: a
    /// third of `node.takeover_seconds`, so a dead holder's station is taken within that.
    var lockInterval: Duration { .milliseconds((integer(ConfigKeys.nodeTakeoverSeconds) ?? 15) * 1000 / 3) }

    /// Reads barcodes through this very binary's `hoso barcodes`, in a child process.
    var barcodeReader: BarcodeReader {
        BarcodeReader(executable: BarcodeReader.currentExecutable, region: cornerRegion,
                      timeout: TimeInterval(integer(ConfigKeys.barcodeTimeoutSeconds) ?? 60))
    }
}

extension Configuration {
    /// Parser workers running this very binary's `hoso parse-worker`, with the configured normalizer
    /// (writing scratch files, not fsynced) and trust.
    func parserWorkers(trustAnchors: URL? = nil, trustCRLs: URL? = nil) -> ParserWorkers {
        let setup = WorkerSetup(normalizer: normalizer, durable: false, trustAnchors: trustAnchors, trustCRLs: trustCRLs,
                                memoryBytes: (integer(ConfigKeys.isolationMemoryMB) ?? 1024) << 20,
                                cpuSeconds: integer(ConfigKeys.isolationCPUSeconds) ?? 300)
        return ParserWorkers(executable: BarcodeReader.currentExecutable, setup: setup, count: integer(ConfigKeys.isolationProcesses) ?? 2,
                             timeout: .seconds(integer(ConfigKeys.isolationTimeoutSeconds) ?? 600))
    }
}
