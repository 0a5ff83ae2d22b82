import Foundation
import HoSoCatalog
import HoSoCore

/// A PostgreSQL catalog's consistent copy by `pg_dump` (one snapshot, while others write), in its custom
/// format for `pg_restore`. The password goes to the child in `PGPASSWORD`, never on its command line.
enum PostgresDump {
    static func dump(_ url: PostgresURL, to file: URL) async throws {
        let partial = file.appendingPathExtension("partial")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pg_dump")
        process.arguments = ["--format=custom", "--file", partial.path, "--host", url.host, "--port", String(url.port),
                             "--username", url.user, "--no-password", url.database]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = url.password
        environment["PGSSLMODE"] = url.tls.rawValue
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch {
            throw CommandFailure(.configError, "pg_dump cannot be run (install postgresql-client): \(error.localizedDescription)")
        }
        let said = await offThread { errors.fileHandleForReading.readDataToEndOfFile() }
        await offThread { process.waitUntilExit() }
        guard process.terminationStatus == 0 else {
            throw CommandFailure(.ioError, "pg_dump of \(url) failed: \(String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard rename(partial.path, file.path) == 0 else {
            throw CommandFailure(.ioError, "\(file.path): cannot move the dump into place: \(String(cString: strerror(errno)))")
        }
    }
}
