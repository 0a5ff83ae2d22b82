/// Some pages of a file, numbered from 1, as ascending runs that neither overlap nor touch: `1-2,5`.
///
/// A batch scan split at separator sheets gives each case the pages it named; a document made from part
/// of a file records them, so its original (the whole batch) and its PDF (those pages) stay explainable.
public struct PageRanges: Hashable, Sendable, Codable, CustomStringConvertible {
    public private(set) var runs: [ClosedRange<Int>]

    /// The pages in `pages` (any order, repeats ignored); nil when empty or a page number is below 1.
    public init?<S: Sequence>(pages: S) where S.Element == Int {
        let sorted = Set(pages).sorted()
        guard let first = sorted.first, first >= 1 else { return nil }
        var runs: [ClosedRange<Int>] = []
        var start = first, end = first
        for page in sorted.dropFirst() {
            if page == end + 1 { end = page; continue }
            runs.append(start...end)
            start = page
            end = page
        }
        runs.append(start...end)
        self.runs = runs
    }

    /// Parses `1-2,5`.
    public init?(_ text: String) {
        var pages: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds.last!), low >= 1, low <= high,
                  high - low < 100_000 else { return nil }
            pages += Array(low...high)
        }
        guard let ranges = PageRanges(pages: pages), ranges.description == text else { return nil }
        self = ranges
    }

    public var count: Int { runs.reduce(0) { $0 + $1.count } }
    public var first: Int { runs[0].lowerBound }
    public func contains(_ page: Int) -> Bool { runs.contains { $0.contains(page) } }

    public var description: String {
        runs.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let ranges = PageRanges(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a page list like 1-2,5"))
        }
        self = ranges
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
