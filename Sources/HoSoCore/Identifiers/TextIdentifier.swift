/// An identifier whose only form is text and that can only be made by parsing it; such a value is
/// valid by construction, and it is coded in JSON as its text.
public protocol TextIdentifier: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Parses the text form, or throws an error that says what is wrong with it.
    init(parsing text: String) throws
}

extension TextIdentifier {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
