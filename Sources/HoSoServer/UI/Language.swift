import Hummingbird

/// The language a page is shown in: Vietnamese unless the person chose English (the switch sets the
/// `hoso_lang` cookie) or, before any choice, their browser asks for English before Vietnamese.
enum Language: String, CaseIterable, Sendable {
    case vi, en

    static let cookie = "hoso_lang"

    static func of(_ request: Request) -> Language {
        if let chosen = request.uri.queryParameters["lang"].flatMap({ Language(rawValue: String($0)) }) { return chosen }
        if let kept = request.cookies[cookie].flatMap({ Language(rawValue: $0.value) }) { return kept }
        return preferred(request.headers[.acceptLanguage] ?? "")
    }

    /// The first of vi and en in an Accept-Language list, by its weights (of equal weights the one listed
    /// first: `max(by:)` keeps the first of equal elements); vi when neither is there.
    static func preferred(_ header: String) -> Language {
        let ranked = header.split(separator: ",").compactMap { item -> (Language, Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased().split(separator: "-").first, let language = Language(rawValue: String(tag)) else { return nil }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (language, weight)
        }
        return ranked.filter { $0.1 > 0 }.max { $0.1 < $1.1 }?.0 ?? .vi
    }
}
