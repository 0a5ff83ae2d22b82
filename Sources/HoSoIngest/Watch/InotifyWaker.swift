import Glibc

/// Wakes a station's watcher when anything happens in its folders, through Linux inotify.
///
/// It does not interpret events: any event means "look again". Only events that can bring work wake it:
/// a file written and closed, renamed in, or created (a new file or folder). Writes in progress
/// (IN_MODIFY) and files leaving (IN_DELETE, IN_MOVED_FROM, the workers' own disposals) do not: the
/// stability window's own deadline brings the next look at a growing file, and waking on every write
/// or departure made a 1,000-file burst rescan the inbox thousands of times. Owns its inotify descriptor.
final class InotifyWaker: @unchecked Sendable {
    private let fd: Int32
    private var watched: [String: Int32] = [:]

    init?() {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Watches every folder in `folders` not yet watched; returns the paths that could not be watched.
    @discardableResult
    func watch(_ folders: [String]) -> [String] {
        var failed: [String] = []
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE)
        for folder in folders where watched[folder] == nil {
            let descriptor = inotify_add_watch(fd, folder, mask)
            if descriptor >= 0 { watched[folder] = descriptor } else { failed.append(folder) }
        }
        return failed
    }

    /// Forgets folders that are gone (the kernel drops their watches itself).
    func keepOnly(_ folders: Set<String>) {
        for folder in watched.keys where !folders.contains(folder) { watched[folder] = nil }
    }

    /// Waits up to `seconds` for an event; drains what arrived. Returns whether anything did.
    func wait(seconds: Double) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(0, min(seconds, 3600)) * 1000))
        guard ready > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
        return true
    }
}
