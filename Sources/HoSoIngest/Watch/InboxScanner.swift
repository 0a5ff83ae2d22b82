import Foundation
import Glibc

/// Lists the files waiting in a station's inbox, with what identifies each version of each file.
struct InboxScanner {
    let station: StationConfig

    /// One file as seen now.
    struct Seen: Hashable {
        let url: URL
        /// Path below the inbox, e.g. `000.00.14.H27-240815-0007/don.tif`.
        let relativePath: String
        let size: Int64
        /// Modification time in nanoseconds since 1970.
        let modified: Int64
        let inode: UInt64

        init(url: URL, relativePath: String, info: stat) {
            self.url = url
            self.relativePath = relativePath
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            inode = UInt64(info.st_ino)
        }

        /// The regular file at `url` as it is now, or nil if there is none.
        init?(url: URL, relativePath: String) {
            var info = stat()
            guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            self.init(url: url, relativePath: relativePath, info: info)
        }

        /// What makes this version of this file one job: a file rewritten later is a new job.
        func sourceKey(station: String) -> String {
            "\(station)|\(relativePath)|\(size)|\(modified)|\(inode)"
        }
    }

    /// Every candidate file, and every folder (for inotify watches).
    func scan() -> (files: [Seen], folders: [URL]) {
        var files: [Seen] = []
        var folders: [URL] = [station.inbox]
        walk(station.inbox, relative: "", depth: 0, files: &files, folders: &folders)
        return (files, folders)
    }

    private func walk(_ folder: URL, relative: String, depth: Int, files: inout [Seen], folders: inout [URL]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names.sorted() where !station.ignores(name) {
            if depth == 0, StationConfig.reservedFolders.contains(name) { continue }
            let url = folder.appendingPathComponent(name)
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                guard station.recursive, depth < 16 else { continue }
                folders.append(url)
                walk(url, relative: path, depth: depth + 1, files: &files, folders: &folders)
            case S_IFREG:
                // Manifests travel with their scans; they are never documents themselves.
                if name.lowercased().hasSuffix(".json") { continue }
                files.append(Seen(url: url, relativePath: path, info: info))
            default:
                continue  // links, pipes and devices are not scans
            }
        }
    }
}

/// Decides when a file has stopped changing: its size and modification time must stay the same for the
/// station's stability window, across two looks at least that far apart.
struct StabilityTracker {
    let window: Double
    private var firstSeen: [String: (key: String, at: Date)] = [:]
    /// Source keys already put on the queue, by relative path.
    private var handedOver: [String: String] = [:]

    init(window: Double) {
        self.window = window
    }

    /// Records what a scan saw; returns the files that are now stable and not yet handed over.
    mutating func observe(_ files: [InboxScanner.Seen], station: String, now: Date) -> [InboxScanner.Seen] {
        var stable: [InboxScanner.Seen] = []
        var present: Set<String> = []
        for file in files {
            let key = file.sourceKey(station: station)
            present.insert(file.relativePath)
            if handedOver[file.relativePath] == key { continue }
            if let seen = firstSeen[file.relativePath], seen.key == key {
                if now.timeIntervalSince(seen.at) >= window { stable.append(file) }
            } else {
                firstSeen[file.relativePath] = (key, now)
            }
        }
        // Forget files that left the inbox, so memory follows the inbox, not its history.
        for path in firstSeen.keys where !present.contains(path) { firstSeen[path] = nil }
        for path in handedOver.keys where !present.contains(path) { handedOver[path] = nil }
        return stable
    }

    mutating func handedOver(_ file: InboxScanner.Seen, station: String) {
        handedOver[file.relativePath] = file.sourceKey(station: station)
        firstSeen[file.relativePath] = nil
    }

    /// Seconds until the earliest waiting file's window ends, if any is waiting.
    func nextDeadline(now: Date) -> Double? {
        firstSeen.values.map { max(0, window - now.timeIntervalSince($0.at)) }.min()
    }
}
