import Glibc
import HoSoCore

/// Reads newline-ended lines from a file descriptor: the framing of the worker protocol, whose
/// messages are single lines of JSON.
struct LineReader {
    let descriptor: Int32
    private var buffered: [UInt8] = []

    init(_ descriptor: Int32) { self.descriptor = descriptor }

    enum Received: Equatable {
        case line([UInt8])
        /// The other end closed the pipe (a child that died, a parent that went away).
        case closed
        case timedOut
    }

    /// The next line without its newline, waiting at most until `deadline` (for ever when nil).
    mutating func next(until deadline: ContinuousClock.Instant? = nil) -> Received {
        var searched = 0
        while true {
            if let newline = buffered[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffered[..<newline])
                buffered.removeSubrange(...newline)
                return .line(line)
            }
            searched = buffered.count
            if let deadline {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { return .timedOut }
                var wanted = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let milliseconds = min(left.inMilliseconds + 1, 60_000)
                let ready = poll(&wanted, 1, Int32(milliseconds))
                if ready < 0, errno == EINTR { continue }
                guard ready > 0 else { continue }
            }
            var chunk = [UInt8](repeating: 0, count: 64 << 10)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return .closed }
            buffered += chunk[..<count]
        }
    }
}

/// Writes all of `bytes` to `descriptor`; false when the other end has gone.
func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
    bytes.withUnsafeBytes { (try? FileDescriptorIO.writeAll($0, to: descriptor)) != nil }
}
