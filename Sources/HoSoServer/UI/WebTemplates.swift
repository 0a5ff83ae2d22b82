import Foundation
import Mustache

/// The pages' mustache templates and style sheet, read once from HoSoServer's resources. `{{…}}` escapes
/// HTML, so whatever a person or a scan put in a case (an applicant named `<script>`) shows as text; the
/// only unescaped value (`{{{chart}}}`) is an SVG the server drew with every text in it escaped.
struct WebTemplates: Sendable {
    let library: MustacheLibrary
    let styleSheet: String

    init() {
        var library = MustacheLibrary()
        var styleSheet = ""
        if let folder = Bundle.module.url(forResource: "ui", withExtension: nil),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names.sorted() {
                guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { continue }
                if name.hasSuffix(".mustache") {
                    do { try library.register(text, named: String(name.dropLast(".mustache".count))) } catch {
                        preconditionFailure("template \(name) does not parse: \(error)")
                    }
                } else if name == "style.css" {
                    styleSheet = text
                }
            }
        }
        self.library = library
        self.styleSheet = styleSheet
    }

    func render(_ name: String, _ values: [String: Any]) -> String {
        library.render(values, withTemplate: name) ?? "template \(name) is missing from the build"
    }
}

/// Text made safe for HTML and SVG (for the one place the server writes markup itself: the charts).
enum Markup {
    static func escape(_ text: String) -> String {
        var out = ""
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(char)
            }
        }
        return out
    }
}
