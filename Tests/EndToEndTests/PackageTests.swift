import Foundation
import HoSoTestSupport
import Testing

/// The Debian package as an office's IT staff get it: made by `scripts/make-deb` from the binary under
/// test, read by dpkg-deb, installed with apt into a fresh Debian made by debootstrap (from the mirror this
/// machine's apt uses), where `hoso` runs as its `hoso` user, the units pass `systemd-analyze verify`, and
/// the serve unit's ExecStart answers and tells systemd it is ready.
@Suite struct PackageTests {
    let work: URL

    init() throws {
        work = try makeTemporaryDirectory("package")
    }

    @Test func thePackage_installsIntoAFreshDebian_runsAsItsUser_andItsUnitIsReady() async throws {
        // Made and read back.
        let made = try await ExternalTool.run(packageRoot.appendingPathComponent("scripts/make-deb").path,
                                              ["--binary", hosoBinary.path, "--out", work.path])
        try #require(made.status == 0, "\(made.output)")
        let deb = URL(fileURLWithPath: made.output.trimmingCharacters(in: .whitespacesAndNewlines))
        let version = try await HoSoProcess.run(["--version"], in: work).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.lastPathComponent == "hoso_\(version)_amd64.deb")
        let info = try await ExternalTool.run("dpkg-deb", ["--info", deb.path]).output
        #expect(info.contains("Package: hoso") && info.contains("Version: \(version)"), "\(info)")
        for library in ["libssl3", "libtiff6", "libpoppler-glib8", "libzbar0", "libsqlite3-0", "fonts-dejavu-core"] {
            #expect(info.contains(library), "Depends: \(library)\n\(info)")
        }
        let contents = try await ExternalTool.run("dpkg-deb", ["--contents", deb.path]).output
        for path in ["./usr/bin/hoso -> ../lib/hoso/hoso", "./usr/lib/hoso/hoso", "./usr/lib/hoso/libswiftCore.so",
                     "./usr/lib/hoso/HoSo_HoSoServer.resources/", "./etc/hoso/hoso.yaml",
                     "./lib/systemd/system/hoso-serve.service", "./lib/systemd/system/hoso-watch.service"] {
            #expect(contents.contains(path), "\(path)\n\(contents)")
        }
        #expect(try await ExternalTool.run("dpkg-deb", ["--info", deb.path, "conffiles"]).output.contains("/etc/hoso/hoso.yaml"))

        // A fresh Debian, the package and what it depends on installed by apt.
        let root = work.appendingPathComponent("root")
        let mirror = try Self.mirror()
        let bootstrapped = try await ExternalTool.run("/usr/sbin/debootstrap", ["--variant=minbase", "bookworm", root.path, mirror])
        try #require(bootstrapped.status == 0, "\(bootstrapped.output.suffix(2000))")
        try FileManager.default.copyItem(at: deb, to: root.appendingPathComponent("tmp/hoso.deb"))
        try? FileManager.default.removeItem(at: root.appendingPathComponent("etc/resolv.conf"))
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "/etc/resolv.conf"), to: root.appendingPathComponent("etc/resolv.conf"))
        // Each command in the root with a /proc of its own: mounted in a mount namespace that ends with it,
        // so nothing stays mounted under the test's folder.
        let chroot = { (command: String) async throws -> ExternalTool.Result in
            try await ExternalTool.run("unshare", Self.inRoot(root, command))
        }
        let installed = try await chroot("apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends systemd /tmp/hoso.deb")
        try #require(installed.status == 0, "\(installed.output.suffix(3000))")

        // As its own user, from the installed configuration.
        #expect(try await chroot("hoso --version").output.trimmingCharacters(in: .whitespacesAndNewlines) == version)
        let initialized = try await chroot("cd / && runuser -u hoso -- hoso init")
        #expect(initialized.status == 0 && initialized.output.contains("sqlite:/var/lib/hoso/catalog.sqlite"), "\(initialized.output)")
        #expect(try await chroot("stat -c '%U:%G %a' /var/lib/hoso /etc/hoso/hoso.yaml").output == "hoso:hoso 750\nroot:hoso 640\n")
        let checked = try await chroot("cd / && runuser -u hoso -- hoso config check")
        #expect(checked.status == 0 && checked.output.contains("configuration file: /etc/hoso/hoso.yaml")
                && checked.output.contains("configuration: no problems found"), "\(checked.output)")

        // The units, as systemd reads them: no error, no warning.
        let verified = try await ExternalTool.run("systemd-analyze", ["verify", "--root=\(root.path)",
                                                                       "/lib/systemd/system/hoso-serve.service", "/lib/systemd/system/hoso-watch.service"])
        #expect(verified.status == 0 && verified.output.isEmpty, "\(verified.output)")

        // The serve unit's ExecStart, as its user, says READY=1 on the notify socket and answers.
        let unit = try String(contentsOf: root.appendingPathComponent("lib/systemd/system/hoso-serve.service"), encoding: .utf8)
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") }?.dropFirst("ExecStart=".count))
        let socket = root.appendingPathComponent("tmp/notify.sock")
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        listener.arguments = ["-c", """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777); s.settimeout(60)
            print(s.recv(4096).decode(), flush=True)
            """, socket.path]
        let heard = Pipe()
        listener.standardOutput = heard
        try listener.run()
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket.path) { try await Task.sleep(for: .milliseconds(50)) }
        let port = try freeLocalPort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        server.arguments = Self.inRoot(root, "exec runuser -u hoso -- env HOSO_SERVER_PORT=\(port) NOTIFY_SOCKET=/tmp/notify.sock \(execStart)")
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        await listener.exited()
        let ready = String(decoding: heard.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(ready.hasPrefix("READY=1"), "\(ready)")
        let health = try await ExternalTool.run("curl", ["-s", "http://127.0.0.1:\(port)/healthz"])
        #expect(health.output.contains("\"ok\""), "\(health.output)")
        // unshare ignores SIGTERM while it waits for its child; killed, its --kill-child sends the child
        // SIGTERM, and runuser stops hoso with it.
        kill(server.processIdentifier, SIGKILL)
        await server.exited()

        // Removed: the program goes, the archive stays.
        let removed = try await chroot("dpkg --remove hoso")
        #expect(removed.status == 0 && !FileManager.default.fileExists(atPath: root.appendingPathComponent("usr/bin/hoso").path), "\(removed.output)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("var/lib/hoso/catalog.sqlite").path))
    }

    /// `unshare`'s arguments to run `command` by /bin/sh in `root` with /proc mounted, the mount private
    /// to it, and the command killed with it.
    static func inRoot(_ root: URL, _ command: String) -> [String] {
        ["--mount", "--kill-child=SIGTERM", "/bin/sh", "-c", #"mount -t proc proc "$0/proc" && exec chroot "$0" /bin/sh -c "$1""#, root.path, command]
    }

    /// The Debian mirror this machine's apt uses (deb822 sources, or the one-line format).
    static func mirror() throws -> String {
        if let deb822 = try? String(contentsOfFile: "/etc/apt/sources.list.d/debian.sources", encoding: .utf8),
           let line = deb822.split(separator: "\n").first(where: { $0.hasPrefix("URIs:") }) {
            return String(line.dropFirst("URIs:".count).trimmingCharacters(in: .whitespaces).split(separator: " ")[0])
        }
        let list = try String(contentsOfFile: "/etc/apt/sources.list", encoding: .utf8)
        guard let line = list.split(separator: "\n").first(where: { $0.hasPrefix("deb ") }) else { throw MirrorMissing() }
        return String(line.split(separator: " ").first { $0.hasPrefix("http") } ?? "")
    }

    struct MirrorMissing: Error {}
}
