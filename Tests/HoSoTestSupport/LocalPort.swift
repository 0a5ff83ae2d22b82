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

/// A TCP port on 127.0.0.1 that nothing uses now: `port` if it is free (else an error), or one picked
/// below the kernel's ephemeral range (`ip_local_port_range`) with `port + 10000` below it too.
///
/// Below that range because the servers given these ports are stopped and started again on them: a port
/// from the range could meanwhile become the local end of any outgoing connection on the machine, and
/// the restart would find it taken (a private SeaweedFS once did, in a full suite).
public func freeLocalPort(_ port: Int = 0) throws -> Int {
    if port != 0 { return try bindLocalPort(port) }
    let ephemeralStart = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8))
        .flatMap { $0.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } } ?? 32768
    let candidates = 1024..<max(1025, ephemeralStart - 10000)
    for _ in 0..<1000 {
        if let port = try? bindLocalPort(Int.random(in: candidates)) { return port }
    }
    throw POSIXError(.EADDRINUSE)
}

/// Binds and releases 127.0.0.1:`port` (0: the kernel's pick) and answers the port bound.
private func bindLocalPort(_ port: Int) throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
