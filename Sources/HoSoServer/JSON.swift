import Foundation
import HoSoCore
import Hummingbird

/// The API's JSON: RFC 3339 times in Vietnam's time (`2024-08-15T08:30:00.000+07:00`, milliseconds; any
/// offset is read), sorted keys.
enum JSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(VietnamTime.rfc3339(date))
        }
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 time")
            }
            return date
        }
        return decoder
    }()

    /// A JSON answer.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
    }

    /// Decodes a JSON request body, naming the field that is wrong.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: HoSoRequestContext) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: context.maxUploadSize) } catch {
            throw Problem(.contentTooLarge, "body_too_large", "the JSON body is larger than \(context.maxUploadSize) bytes")
        }
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, place) {
            throw Problem(.badRequest, "invalid_body", "\(path(place.codingPath + [key])): required")
        } catch let DecodingError.typeMismatch(_, place), let DecodingError.valueNotFound(_, place) {
            throw Problem(.badRequest, "invalid_body", "\(path(place.codingPath)): \(place.debugDescription)")
        } catch let DecodingError.dataCorrupted(place) {
            throw Problem(.badRequest, "invalid_body", "\(place.codingPath.isEmpty ? "body" : path(place.codingPath)): \(place.debugDescription)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
