extension AgencyCode {
    /// The levels that name this agency, from the top (`H27`) down, stopping at the first level of
    /// zeros: `000.00.14.H27` is unit `14` of province `H27`, and its own units are `000.05.14.H27` …
    var significantLevels: [Substring] {
        var levels: [Substring] = []
        for level in rawValue.split(separator: ".").reversed() {
            if level.allSatisfy({ $0 == "0" }) { break }
            levels.append(level)
        }
        return levels
    }

    /// The significant levels as they are written, most specific first (`14.H27` for `000.00.14.H27`): a
    /// code ends with `.` and these exactly when this agency covers it (or is it).
    public var coveredSuffix: String { significantLevels.reversed().joined(separator: ".") }

    /// Whether `other` is this agency or one of the units below it (QCVN 102:2016 numbers a unit below
    /// another by filling a level its parent leaves at zeros).
    public func covers(_ other: AgencyCode) -> Bool {
        let mine = significantLevels
        let theirs = other.significantLevels
        return theirs.count >= mine.count && zip(mine, theirs).allSatisfy { $0 == $1 }
    }
}
