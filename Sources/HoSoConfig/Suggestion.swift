/// The known name a mistyped one most likely meant: the nearest by edit distance (insertions, deletions,
/// substitutions of characters), if it is near enough to be a typo — at most a third of the name's length,
/// and at most three edits.
enum Suggestion {
    static func nearest(to name: String, among known: [String]) -> String? {
        let limit = min(3, max(1, name.count / 3))
        return known.map { ($0, distance(name, $0)) }.filter { $0.1 <= limit }.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance, one row at a time.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
