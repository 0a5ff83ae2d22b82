import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits until something accepts TCP connections on 127.0.0.1:`port` (a test's helper server coming
/// up), up to `timeout` seconds; false if nothing did. Only for servers that tolerate an empty connection.
public func waitForLocalPort(_ port: Int, timeout: TimeInterval = 15) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if connected == 0 { return true }
        usleep(100_000)
    }
    return false
}
