// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "HoSo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "hoso", targets: ["hoso"]),
        .executable(name: "hoso-samples", targets: ["hoso-samples"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // C libraries: a module map and a shim header each, nothing else.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CPoppler", pkgConfig: "poppler-glib", providers: [.apt(["libpoppler-glib-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZBar", pkgConfig: "zbar", providers: [.apt(["libzbar-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),

        .target(name: "HoSoCore"),
        .target(name: "HoSoDigest", dependencies: ["HoSoCore", "COpenSSL"]),
        .target(name: "HoSoPDF", dependencies: ["CZlib"]),
        // Report tables as .xlsx workbooks (a ZIP of Office Open XML parts) for the web pages' downloads.
        .target(name: "HoSoSpreadsheet", dependencies: ["CZlib"]),
        .target(
            name: "HoSoS3",
            dependencies: [
                "HoSoCore", "HoSoDigest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Content-addressed blobs: a local folder (the default) or an S3 bucket, behind one protocol.
        .target(name: "HoSoBlobs", dependencies: ["HoSoCore", "HoSoDigest", "HoSoS3"]),
        .target(name: "HoSoConfig", dependencies: ["HoSoCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "HoSoSignature", dependencies: ["HoSoCore", "HoSoDigest", "HoSoPDF", "COpenSSL"]),
        .target(
            name: "HoSoCatalog",
            dependencies: [
                "HoSoCore", "HoSoDigest", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "HoSoImaging", dependencies: ["HoSoCore", "HoSoPDF", "HoSoDigest", "CTIFF", "CPoppler", "CZlib", "CJPEG"]),
        // Parsing of untrusted files in long-lived child processes with memory and CPU limits.
        .target(name: "HoSoWorkers", dependencies: ["HoSoCore", "HoSoImaging", "HoSoSignature"]),
        .target(
            name: "HoSoIngest",
            dependencies: [
                "HoSoCore", "HoSoBlobs", "HoSoCatalog", "HoSoImaging", "HoSoWorkers", "CZBar",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "HoSoServer",
            dependencies: [
                "HoSoCore", "HoSoBlobs", "HoSoCatalog", "HoSoDigest", "HoSoImaging", "HoSoSignature", "HoSoIngest", "HoSoWorkers",
                "HoSoSpreadsheet", "HoSoConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // docs/openapi.yaml is a link to this file: one spec, served and documented. The web pages'
            // templates and their style sheet are files too, read once at start.
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/ui")]
        ),
        .executableTarget(
            name: "hoso",
            dependencies: [
                "HoSoCore", "HoSoBlobs", "HoSoCatalog", "HoSoConfig", "HoSoDigest", "HoSoImaging", "HoSoIngest", "HoSoS3", "HoSoSignature",
                "HoSoServer",
                "HoSoWorkers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Sample scans: the generator lives beside the samples it makes.
        .target(name: "HoSoSamples", dependencies: ["CTIFF", "HoSoPDF", "HoSoImaging"], path: "Samples/HoSoSamples"),
        .executableTarget(
            name: "hoso-samples",
            dependencies: ["HoSoSamples", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Samples/Generator"
        ),

        // Measurements of HoSo's own clients for Benchmarks/queue.sh and Benchmarks/s3.sh.
        .executableTarget(
            name: "hoso-bench",
            dependencies: ["HoSoCatalog", "HoSoCore", "HoSoDigest", "HoSoS3", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/hoso-bench"
        ),

        // libFuzzer targets for the parsers of untrusted bytes: `make fuzz` builds this with
        // -sanitize=fuzzer,address; a plain build replays files through them.
        .systemLibrary(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .executableTarget(
            name: "hoso-fuzz", dependencies: ["CFuzzer", "HoSoConfig", "HoSoCore", "HoSoImaging", "HoSoPDF", "HoSoSignature"],
            path: "Fuzz/hoso-fuzz"
        ),

        .target(name: "HoSoTestSupport", dependencies: ["HoSoCore", "HoSoPDF", "HoSoS3"], path: "Tests/HoSoTestSupport"),
        .executableTarget(name: "hoso-test-blob-writer", dependencies: ["HoSoBlobs"], path: "Tests/BlobWriter"),
        .testTarget(name: "CLibraryTests", dependencies: ["COpenSSL", "CTIFF", "CPoppler", "CZlib", "CZBar"]),
        .testTarget(name: "HoSoCoreTests", dependencies: ["HoSoCore"]),
        .testTarget(name: "HoSoDigestTests", dependencies: ["HoSoDigest", "HoSoTestSupport"]),
        .testTarget(name: "HoSoPDFTests", dependencies: ["HoSoPDF", "HoSoTestSupport"]),
        .testTarget(name: "HoSoSpreadsheetTests", dependencies: ["HoSoSpreadsheet", "HoSoTestSupport"]),
        .testTarget(name: "HoSoS3Tests", dependencies: ["HoSoS3", "HoSoDigest", "HoSoTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "HoSoBlobsTests", dependencies: ["HoSoBlobs", "HoSoCore", "HoSoDigest", "HoSoS3", "HoSoTestSupport"]),
        .testTarget(name: "HoSoSignatureTests", dependencies: ["HoSoSignature", "HoSoPDF", "HoSoTestSupport"]),
        .testTarget(name: "HoSoConfigTests", dependencies: ["HoSoConfig", "HoSoTestSupport"]),
        .testTarget(
            name: "HoSoCatalogTests",
            dependencies: ["HoSoCatalog", "HoSoCore", "HoSoDigest", "HoSoTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "HoSoIngestTests",
            dependencies: [
                "HoSoIngest", "HoSoBlobs", "HoSoCatalog", "HoSoCore", "HoSoDigest", "HoSoImaging", "HoSoSamples", "HoSoTestSupport", "HoSoWorkers",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(name: "HoSoImagingTests", dependencies: ["HoSoImaging", "HoSoCore", "HoSoSamples", "HoSoDigest", "HoSoTestSupport", "CTIFF"]),
        .testTarget(name: "HoSoSamplesTests", dependencies: ["HoSoSamples", "CTIFF", "HoSoTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["HoSoCore", "HoSoTestSupport", "HoSoSamples", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "HoSoServerTests",
            dependencies: ["HoSoServer", "HoSoBlobs", "HoSoCatalog", "HoSoCore", "HoSoTestSupport", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
