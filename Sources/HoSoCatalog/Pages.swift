// What every paged list shares: the size of a page, the error of a cursor given to the wrong list, and
// the cut of a probe read one item long.

/// How many items a page of any list may hold, and how many it holds when not asked (the API's `limit`,
/// `hoso cases list --limit`).
public enum PageLimit {
    public static let allowed = 1...1000
    public static let standard = 100
}

/// Text that is not a cursor this HoSo gave out for the list it was given to.
public struct InvalidCursor: Error, CustomStringConvertible {
    public let text: String

    public init(text: String) { self.text = text }

    public var description: String { "'\(text)' is not a cursor a page of this list gave out" }
}

/// The first `limit` of `found` (read with one more than `limit`, to know whether another page follows) and
/// the cursor of the last of them when one does.
func cutPage<Item, Cursor>(_ found: [Item], to limit: Int, cursor: (Item) -> Cursor?) -> ([Item], Cursor?) {
    guard found.count > limit else { return (found, nil) }
    let page = Array(found.prefix(limit))
    return (page, page.last.flatMap(cursor))
}
