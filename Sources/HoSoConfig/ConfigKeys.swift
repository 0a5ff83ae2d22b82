/// Every setting HoSo reads. A key not listed here in `hoso.yaml` is an error, so a typo never passes
/// silently.
public enum ConfigKeys {
    public static let data = ConfigKey(
        "data", .path, default: .string("./var"), "data directory: catalog.sqlite and blobs/")
    public static let actor = ConfigKey(
        "actor", .string, default: nil, "who CLI commands record as the actor (default: cli:<login name>)")
    public static let ingestStation = ConfigKey(
        "ingest.station", .string, default: .string("cli"), "station name `hoso ingest` records by default")
    public static let ingestMaxInputBytes = ConfigKey(
        "ingest.max_input_bytes", .integer, default: .integer(8 << 30),
        "largest file ingest accepts, in bytes (default 8 GiB: an A0 600 dpi 48-bit scan is 3.3 GB)")

    /// All keys, in the order `hoso config check` prints them.
    public static let all: [ConfigKey] = [data, actor, ingestStation, ingestMaxInputBytes]
}
