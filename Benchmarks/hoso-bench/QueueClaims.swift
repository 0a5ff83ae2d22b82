import ArgumentParser
import Foundation
import HoSoCatalog

/// Queues jobs through `PostgresCatalog.enqueueJob` and claims them all through `claimNextJob`, from
/// several tasks at once as several workers and nodes would: jobs/s for each.
struct QueueClaims: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "claims", abstract: "Queue and claim jobs on a PostgreSQL catalog.")

    @Option(help: "The catalog: postgres://user@host:port/database (an empty database HoSo initializes).")
    var catalog: String

    @Option(help: "How many jobs to queue and claim.")
    var jobs = 5000

    @Option(help: "How many claimers (and queuers) at once.")
    var concurrency = 4

    func run() async throws {
        let url = try PostgresURL(parsing: catalog)
        let catalog = try await PostgresCatalog.open(url)
        defer { catalog.close() }
        let (jobs, concurrency) = (jobs, concurrency)
        let clock = ContinuousClock()

        let queuing = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        for index in stride(from: lane, to: jobs, by: concurrency) {
                            _ = try await catalog.enqueueJob(
                                NewIngestJob(sourceKey: "bench:\(index)", station: "bench", sourcePath: "/bench/\(index).tif"), at: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var claimed = 0
        let claiming = try await clock.measure {
            claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        var count = 0
                        while try await catalog.claimNextJob(worker: "bench:\(lane)", at: Date(), leaseExpiry: Date().addingTimeInterval(3600)) != nil {
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        guard claimed == jobs else { throw ValidationError("claimed \(claimed) jobs of \(jobs) queued") }
        print(Row.rate("HoSo: queue a job (`enqueueJob`: INSERT, NOTIFY, SELECT in a transaction)", concurrency, jobs, queuing))
        print(Row.rate("HoSo: claim a job (`claimNextJob`: UPDATE … FOR UPDATE SKIP LOCKED in a transaction)", concurrency, jobs, claiming))
    }
}
