@testable import HoSoServer
import Testing

@Suite struct LanguageTests {
    @Test(arguments: [
        ("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", Language.vi), ("en-US,en;q=0.9,vi;q=0.8", .en), ("en, vi", .en), ("vi, en", .vi),
        ("fr-FR,fr;q=0.9", .vi), ("", .vi), ("en;q=0, vi;q=0.1", .vi), ("fr, en;q=0.5", .en), ("EN-gb", .en),
    ])
    func acceptLanguage_choosesTheFirstPreferred(_ header: String, _ expected: Language) {
        #expect(Language.preferred(header) == expected, "\(header)")
    }
}
