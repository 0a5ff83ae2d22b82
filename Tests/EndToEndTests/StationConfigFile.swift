import Foundation

/// A configuration file with one polled station, `scan-01`, watching `work/inbox` (made here), for tests
/// that drop scans in front of a running server; `extra` is more YAML put before the station.
/// Returns the file and the inbox.
func stationConfig(in work: URL, extra: String = "") throws -> (config: URL, inbox: URL) {
    let inbox = work.appendingPathComponent("inbox")
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
    let config = work.appendingPathComponent("hoso.yaml")
    try (extra + """
        stations:
          - id: scan-01
            inbox: \(inbox.path)
            mode: poll
            poll_interval: 0.3
            stability_window: 0.2
        """).write(to: config, atomically: true, encoding: .utf8)
    return (config, inbox)
}
