import ArgumentParser

/// Measurements of HoSo's own clients that no `hoso` command isolates: the PostgreSQL job queue's claims
/// and the S3 client's transfers. Each prints Markdown rows; the scripts beside it run the anchor tools
/// (pgbench, curl) on the same database and objects in the same run.
@main
struct HoSoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hoso-bench",
        abstract: "Measures HoSo's queue and S3 client (Benchmarks/queue.sh and Benchmarks/s3.sh run it).",
        subcommands: [QueueClaims.self, S3Transfers.self]
    )
}
