import Foundation

/// One side of a hand-over: the unit (agency code, when it has one, and name) and the person.
public struct Party: Hashable, Sendable, Codable {
    /// The unit's code (mã định danh), when it has one; a department inside an agency may not.
    public var agency: AgencyCode?
    /// The unit's name as the slip prints it, e.g. "Bộ phận Một cửa UBND huyện".
    public var name: String
    /// The officer who gave or received the file.
    public var person: String

    public init(agency: AgencyCode? = nil, name: String, person: String) {
        self.agency = agency
        self.name = name
        self.person = person
    }
}

/// A hand-over of a case file between units (a row of Biểu 05): who gave it to whom, when, by when the
/// giving unit was due to hand it on, and a note.
public struct HandOver: Hashable, Sendable, Codable {
    public var from: Party
    public var to: Party
    /// When the giving unit was due to hand the file on (the workflow server's step deadline), if set.
    public var dueAt: Date?
    public var note: String?

    public init(from: Party, to: Party, dueAt: Date? = nil, note: String? = nil) {
        self.from = from
        self.to = to
        self.dueAt = dueAt
        self.note = note
    }
}
