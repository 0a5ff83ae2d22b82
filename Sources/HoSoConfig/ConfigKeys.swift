/// Every setting HoSo reads. A key not listed here in `hoso.yaml` is an error, so a typo never passes
/// silently.
public enum ConfigKeys {
    public static let data = ConfigKey(
        "data", .path, default: .string("./var"), "data directory: catalog.sqlite and blobs/")
    public static let catalogURL = ConfigKey(
        "catalog.url", .url, default: nil,
        "where the catalog is: sqlite:PATH (default: catalog.sqlite in the data directory) or postgres://USER:PASSWORD@HOST:PORT/DATABASE, shared by every node; shown without its password")
    public static let catalogConnectionWaitSeconds = ConfigKey(
        "catalog.connection_wait_seconds", .integer, default: .integer(10), range: 1...600,
        "with a PostgreSQL catalog: how long an operation waits for a connection before it is refused (an API request: 503 catalog_unavailable)")
    public static let blobsURL = ConfigKey(
        "blobs.url", .string, default: nil,
        "where file contents are kept: file:PATH (default: blobs/ in the data directory) or s3://BUCKET?endpoint=http://HOST:PORT&region=REGION, shared by every node")
    public static let s3AccessKeyID = ConfigKey(
        "s3.access_key_id", .string, default: nil, "access key of blobs.url's bucket (HOSO_S3_ACCESS_KEY_ID)")
    public static let s3SecretAccessKey = ConfigKey(
        "s3.secret_access_key", .secret, default: nil, "secret key of blobs.url's bucket (HOSO_S3_SECRET_ACCESS_KEY); never printed")
    public static let nodeID = ConfigKey(
        "node.id", .string, default: nil, "this node's name in the uptime ledger (default: the host name); each node sharing a catalog needs its own")
    public static let nodeTakeoverSeconds = ConfigKey(
        "node.takeover_seconds", .integer, default: .integer(15), range: 3...3600,
        "with a shared PostgreSQL catalog: how soon another node takes over a station's inbox after the node watching it dies")
    public static let actor = ConfigKey(
        "actor", .string, default: nil, "who CLI commands record as the actor (default: cli:<login name>)")
    public static let ingestStation = ConfigKey(
        "ingest.station", .string, default: .string("cli"), "station name `hoso ingest` records by default")
    public static let ingestMaxInputBytes = ConfigKey(
        "ingest.max_input_bytes", .integer, default: .integer(8 << 30), range: 1...Int.max,
        "largest file ingest accepts, in bytes (default 8 GiB: an A0 600 dpi 48-bit scan is 3.3 GB)")
    public static let ingestRetrySeconds = ConfigKey(
        "ingest.retry_seconds", .integer, default: .integer(30), range: 1...3600,
        "seconds ingestion pauses after a fault that is not a scan's (a full disk, a failing device) before it tries the file again")

    public static let normalizeMaxPagePixels = ConfigKey(
        "normalize.max_page_pixels", .integer, default: .integer(1_000_000_000), range: 1...Int.max,
        "largest page in pixels, checked from headers first (A0 at 600 dpi is 558 million)")
    public static let normalizeMaxPages = ConfigKey(
        "normalize.max_pages", .integer, default: .integer(2000), range: 1...1_000_000, "most pages in one document")
    public static let normalizeDefaultDPI = ConfigKey(
        "normalize.default_dpi", .integer, default: .integer(200), range: 10...10_000, "resolution assumed when a scan does not say (a warning is recorded)")
    public static let normalizeFlateLevel = ConfigKey(
        "normalize.flate_level", .integer, default: .integer(3), range: 1...9, "zlib level (1-9) for pages that are re-compressed; 3 is 3x faster than 6 on scans")

    public static let barcodeRegionWidthMM = ConfigKey(
        "barcode.region_width_mm", .integer, default: .integer(120), range: 10...2000,
        "width of each page's top-left corner searched for a QR code or Code128 (receipts print it there)")
    public static let barcodeRegionHeightMM = ConfigKey(
        "barcode.region_height_mm", .integer, default: .integer(100), range: 10...2000, "height of that corner, in mm")
    public static let barcodeDPI = ConfigKey(
        "barcode.dpi", .integer, default: .integer(200), range: 72...1200,
        "resolution the corner is read at, at most (finer scans are averaged down)")
    public static let barcodeTimeoutSeconds = ConfigKey(
        "barcode.timeout_seconds", .integer, default: .integer(60), range: 1...3600,
        "how long reading one file's codes may take before the reader is stopped (the file goes to quarantine)")

    public static let signingSealImage = ConfigKey(
        "signing.seal_image", .path, default: nil,
        "the organization's seal for `hoso sign --appearance`: a red PNG with a transparent background (ND 30/2020)")
    public static let signingAppearancePage = ConfigKey(
        "signing.appearance_page", .string, default: .string("last"), "page the visible signature goes on: first or last")
    public static let signingAppearanceBox = ConfigKey(
        "signing.appearance_box", .string, default: .string("105 15 90 30"),
        "where the visible signature goes: x y width height, in millimetres from the page's lower-left corner")

    public static let serverHost = ConfigKey(
        "server.host", .string, default: .string("127.0.0.1"), "address `hoso serve` listens on (0.0.0.0 for every interface)")
    public static let serverPort = ConfigKey(
        "server.port", .integer, default: .integer(8080), range: 0...65535, "port `hoso serve` listens on (0: any free port, printed at start)")
    public static let serverMaxResultBytes = ConfigKey(
        "server.max_result_bytes", .integer, default: .integer(50 << 20), range: 1...Int.max, "largest result PDF the API accepts, in bytes")
    public static let serverHeartbeatSeconds = ConfigKey(
        "server.heartbeat_seconds", .integer, default: .integer(10), range: 1...3600,
        "seconds between the uptime ledger's beats; a longer gap than two beats is an outage in /v1/reports/outages")
    public static let serverIdleTimeoutSeconds = ConfigKey(
        "server.idle_timeout_seconds", .integer, default: .integer(30), range: 1...3600,
        "seconds a connection may send nothing complete (a request's head, a piece of its body) before it is closed: slow clients cannot hold connections")
    public static let uiSessionIdleMinutes = ConfigKey(
        "ui.session_idle_minutes", .integer, default: .integer(30), range: 1...1440,
        "minutes a web page session may go unused before its user must sign in again")
    public static let serverTLSCertificate = ConfigKey(
        "server.tls_certificate", .path, default: nil, "PEM certificate chain: with server.tls_key, `hoso serve` speaks HTTPS only")
    public static let serverTLSKey = ConfigKey(
        "server.tls_key", .path, default: nil, "PEM private key of server.tls_certificate")
    public static let trustAnchors = ConfigKey(
        "trust.anchors", .path, default: nil, "folder of trusted root certificates (PEM or DER) results are verified against")
    public static let trustCRLs = ConfigKey(
        "trust.crls", .path, default: nil, "folder of CRLs (PEM or DER) used when results are verified")
    public static let resultsAllowPending = ConfigKey(
        "results.allow_pending", .boolean, default: .boolean(false),
        "store INDETERMINATE results as pending (they never open the return gate) instead of refusing them with 422")
    public static let resultsRequireRegisteredSigner = ConfigKey(
        "results.require_registered_signer", .boolean, default: .boolean(true),
        "refuse results for an agency with no registered signer (hoso signers add); false lets any trusted signer through")
    public static let resultsRequireCaseBinding = ConfigKey(
        "results.require_case_binding", .boolean, default: .boolean(true),
        "refuse results that do not name their case (signature /HoSo.CaseID or /Reason, text, or page 1's QR/Code128)")
    public static let scrubIntervalHours = ConfigKey(
        "scrub.interval_hours", .integer, default: .integer(24), range: 1...8760, "hours between fixity scrubs of every stored file while `hoso serve` runs")

    public static let calendarWorkHours = ConfigKey(
        "calendar.work_hours", .string, default: .string("07:30-11:30,13:00-17:00"),
        "office hours of a working day (Monday to Friday), HH:MM-HH:MM in order: due times and lateness count these only")
    public static let calendarHolidays = ConfigKey(
        "calendar.holidays", .path, default: nil,
        "file of each year's days off and days worked (Tết, Giỗ Tổ Hùng Vương, làm bù); the fixed holidays are built in (see Config/holidays.txt)")
    public static let auditTSAURL = ConfigKey(
        "audit.tsa_url", .string, default: nil,
        "RFC 3161 timestamp server (http://) that stamps the case trails' chain heads while `hoso serve` runs; none: not stamped")
    public static let auditStampIntervalMinutes = ConfigKey(
        "audit.stamp_interval_minutes", .integer, default: .integer(60), range: 1...10_080, "minutes between stamps of the chain heads that moved")
    public static let monitorTargets = ConfigKey(
        "monitor.targets", .list, default: .list([]),
        "systems the officers depend on, probed over HTTP(S) while `hoso serve` runs: name, url, interval_seconds (60), timeout_seconds (5)")
    public static let logFormat = ConfigKey(
        "log.format", .string, default: .string("text"), "log lines on standard error: text (for people) or json (one object a line, for a collector)")
    public static let logLevel = ConfigKey(
        "log.level", .string, default: .string("info"),
        "least level logged: trace, debug, info (one line per request), notice (one per file taken and start/stop), warning, error, critical; $LOG_LEVEL wins")

    public static let stations = ConfigKey(
        "stations", .list, default: .list([]), pathFields: ["inbox"], "scanning stations whose inboxes `hoso watch` takes files from (see Config/hoso.yaml)")

    /// All keys, in the order `hoso config check` prints them.
    public static let isolationProcesses = ConfigKey(
        "isolation.processes", .integer, default: .integer(2), range: 1...64,
        "parser worker processes `hoso serve` and `hoso watch` normalize scans and verify results in, at most at once")
    public static let isolationMemoryMB = ConfigKey(
        "isolation.memory_mb", .integer, default: .integer(1024), range: 64...1_048_576,
        "memory one parser worker may allocate (RLIMIT_DATA), in MiB; a file that needs more fails as crashed, the daemon stays up")
    public static let isolationCPUSeconds = ConfigKey(
        "isolation.cpu_seconds", .integer, default: .integer(300), range: 1...86_400,
        "CPU time one file may take in a parser worker (RLIMIT_CPU); past it the worker is stopped and the file is over the limit")
    public static let isolationTimeoutSeconds = ConfigKey(
        "isolation.timeout_seconds", .integer, default: .integer(600), range: 1...86_400,
        "wall-clock time one file may take in a parser worker before the worker is killed")
    public static let all: [ConfigKey] = [
        data, nodeID, nodeTakeoverSeconds, catalogURL, catalogConnectionWaitSeconds, blobsURL, s3AccessKeyID, s3SecretAccessKey, actor, ingestStation, ingestMaxInputBytes, ingestRetrySeconds, normalizeMaxPagePixels, normalizeMaxPages, normalizeDefaultDPI,
        normalizeFlateLevel, barcodeRegionWidthMM, barcodeRegionHeightMM, barcodeDPI, barcodeTimeoutSeconds,
        signingSealImage, signingAppearancePage, signingAppearanceBox, serverHost, serverPort, serverMaxResultBytes,
        serverHeartbeatSeconds, serverIdleTimeoutSeconds, uiSessionIdleMinutes, serverTLSCertificate, serverTLSKey, trustAnchors, trustCRLs, resultsAllowPending,
        resultsRequireRegisteredSigner, resultsRequireCaseBinding, scrubIntervalHours, isolationProcesses, isolationMemoryMB,
        isolationCPUSeconds, isolationTimeoutSeconds, calendarWorkHours, calendarHolidays, auditTSAURL, auditStampIntervalMinutes, monitorTargets, logFormat, logLevel, stations,
    ]
}
