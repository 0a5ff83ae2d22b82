import Foundation
import Glibc

/// A PostgreSQL server of one test's own (Debian's postgresql 15, a throw-away cluster on a free loopback
/// port), for tests that stop and start the server under a running HoSo, which the suite's shared server
/// (`TestPostgres`) must never be. As root, PostgreSQL's programs run as the `postgres` user.
public final class PrivatePostgres: Sendable {
    public let port: Int
    let folder: URL
    static let programs = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin")

    /// `postgres://hoso@127.0.0.1:PORT/postgres`, trusted on loopback.
    public var url: String { "postgres://hoso@127.0.0.1:\(port)/postgres?sslmode=disable" }

    /// Makes the cluster (initdb) and starts it; a cluster that cannot start is removed.
    public init() async throws {
        folder = try makeTemporaryDirectory("private-postgres")
        port = try freeLocalPort()
        do {
            if getuid() == 0 { try await Self.check(ExternalTool.run("/usr/bin/chown", ["postgres:", folder.path]), "chown") }
            try await Self.check(run("initdb", ["-D", cluster, "-U", "hoso", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]), "initdb")
            try await start()
        } catch {
            await remove()
            throw error
        }
    }

    var cluster: String { folder.appendingPathComponent("cluster").path }

    /// Starts the server and waits until it takes connections. The server pg_ctl leaves running must not
    /// inherit this process's descriptors: Foundation learns that a child ended when every copy of a socket
    /// it gave the child is closed, and a server holding one would make `pg_ctl` never end. So pg_ctl is
    /// started through Python's subprocess, which closes every descriptor above 2; its output goes to a file.
    public func start() async throws {
        let log = folder.appendingPathComponent("postgres.log").path, said = folder.appendingPathComponent("pg_ctl.out").path
        let command = "\(Self.programs.path)/pg_ctl -D \(cluster) -l \(log) -w -t 60 start "
            + "-o '-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off' > \(said) 2>&1 || { cat \(said) \(log); exit 1; }"
        let owner = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        let started = try await ExternalTool.run("/usr/bin/python3", ["-c", "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"]
                                                     + owner + ["/bin/sh", "-c", command])
        try Self.check(started, "pg_ctl start")
    }

    /// Stops the server at once (`-m immediate`: every connection cut, as a crash or a pulled cable would).
    public func stop() async throws {
        try await Self.check(run("pg_ctl", ["-D", cluster, "-m", "immediate", "-w", "stop"]), "pg_ctl stop")
    }

    /// Stops it if it runs, and removes its files.
    public func remove() async {
        _ = try? await run("pg_ctl", ["-D", cluster, "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(at: folder)
    }

    private func run(_ program: String, _ arguments: [String]) async throws -> ExternalTool.Result {
        let path = Self.programs.appendingPathComponent(program).path
        return getuid() == 0 ? try await ExternalTool.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
            : try await ExternalTool.run(path, arguments)
    }

    private static func check(_ result: ExternalTool.Result, _ what: String) throws {
        guard result.status == 0 else { throw Failure(description: "\(what): \(result.output)") }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
