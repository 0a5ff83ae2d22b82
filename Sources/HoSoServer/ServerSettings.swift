import Foundation
import HoSoCore

/// What `hoso serve` is configured with (config `server.*`, `trust.*`, `results.*`).
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Trust anchors and CRLs results are verified against.
    public var trustAnchors: URL?
    public var trustCRLs: URL?
    /// Largest result PDF accepted, in bytes.
    public var maxResultBytes = 50 << 20
    /// Largest scan a station may upload, in bytes.
    public var maxScanBytes = 8 << 30
    /// Store INDETERMINATE results as pending (they never open the return gate) instead of refusing them.
    public var allowPendingResults = false
    /// Refuse results for an agency with no registered signer (`no_signer_registered`).
    public var requireRegisteredSigner = true
    /// Refuse results that do not name their case (`result_case_not_named`).
    public var requireCaseBinding = true
    /// Seconds between the uptime ledger's beats; a gap longer than twice this is an outage.
    public var heartbeatSeconds = 10
    /// How long a web page session may go unused.
    public var sessionIdle: TimeInterval = 30 * 60
    /// Whether the pages' cookies carry `Secure` (the server speaks HTTPS).
    public var secureCookies = false
    /// The build `/metrics` reports (`hoso_build_info`).
    public var version = "unknown"
    /// Folders whose free space `/metrics` reports, by what they hold (`blobs` when local, `work`).
    public var watchedFolders: [String: URL] = [:]

    /// Working days and office hours: due dates and lateness are counted in them (`calendar.*`).
    public var calendar = WorkCalendar()
    /// How far in the future a reported step's time may be (the workflow server's clock may run ahead).
    public var clockSkewSeconds: TimeInterval = 120

    public init() {}
}
