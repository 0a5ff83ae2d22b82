import HoSoCatalog

/// The digitization rate per agency as a bar chart the server draws in SVG: no script, no library, prints
/// as it shows. Every text in it is escaped.
enum DigitizationChart {
    static func svg(_ lines: [DigitizationCount], label: String) -> String {
        var perAgency: [String: (required: Int, digitized: Int)] = [:]
        for line in lines {
            perAgency[line.agency, default: (0, 0)].required += line.inputsRequired
            perAgency[line.agency, default: (0, 0)].digitized += line.inputsDigitized
        }
        let agencies = perAgency.keys.sorted()
        let (barHeight, gap, labelWidth, barWidth) = (22, 8, 150, 400)
        let height = max(1, agencies.count) * (barHeight + gap) + gap
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(Markup.escape(label))\" width=\"\(labelWidth + barWidth + 70)\" height=\"\(height)\" class=\"chart\">"
        for (index, agency) in agencies.enumerated() {
            let totals = perAgency[agency]!
            let rate = totals.required == 0 ? 0 : Double(totals.digitized) / Double(totals.required)
            let y = gap + index * (barHeight + gap)
            svg += "<text x=\"0\" y=\"\(y + 16)\" font-size=\"13\">\(Markup.escape(agency))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(barHeight)\" fill=\"#eee\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(Int(Double(barWidth) * rate))\" height=\"\(barHeight)\" fill=\"#7a1f1f\"/>"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 16)\" font-size=\"13\">\(Int((rate * 100).rounded())) %</text>"
        }
        return svg + "</svg>"
    }
}
