import Foundation
/// The Markdown rows the benchmarks print.
enum Row {
    /// `| what | at once | count | seconds | per second |`.
    static func rate(_ label: String, _ concurrency: Int, _ count: Int, _ time: Duration) -> String {
        "| \(label) | \(concurrency) | \(count) | \(String(format: "%.2f", time.seconds)) | \(String(format: "%.0f", Double(count) / time.seconds)) |"
    }

    /// `| what | MB | seconds | MB/s |`.
    static func throughput(_ label: String, _ megabytes: Double, _ time: Duration) -> String {
        "| \(label) | \(String(format: "%.0f", megabytes)) | \(String(format: "%.2f", time.seconds)) | \(String(format: "%.0f", megabytes / time.seconds)) |"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
