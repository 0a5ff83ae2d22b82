import HoSoCatalog

/// The digitization rate (inputs digitized of inputs required) as a bar chart the server draws in SVG, per
/// agency or per procedure: no script, no library, prints as it shows. Every text in it is escaped.
enum DigitizationChart {
    enum Grouping {
        case agency, procedure

        func key(_ line: DigitizationCount) -> String {
            switch self {
            case .agency: line.agency
            case .procedure: line.procedureCode ?? "–"
            }
        }
    }

    static func svg(_ lines: [DigitizationCount], by grouping: Grouping, label: String) -> String {
        var totals: [String: (required: Int, digitized: Int)] = [:]
        for line in lines {
            totals[grouping.key(line), default: (0, 0)].required += line.inputsRequired
            totals[grouping.key(line), default: (0, 0)].digitized += line.inputsDigitized
        }
        let names = totals.keys.sorted()
        let (barHeight, gap, labelWidth, barWidth) = (22, 8, 150, 400)
        let height = max(1, names.count) * (barHeight + gap) + gap
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(Markup.escape(label))\" width=\"\(labelWidth + barWidth + 70)\" height=\"\(height)\" class=\"chart\">"
        for (index, name) in names.enumerated() {
            let (required, digitized) = totals[name]!
            let rate = required == 0 ? 0 : Double(digitized) / Double(required)
            let y = gap + index * (barHeight + gap)
            svg += "<text x=\"0\" y=\"\(y + 16)\" font-size=\"13\">\(Markup.escape(name))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(barHeight)\" fill=\"#eee\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(Int(Double(barWidth) * rate))\" height=\"\(barHeight)\" fill=\"#7a1f1f\"/>"
            svg += "<text x=\"\(labelWidth + barWidth + 6)\" y=\"\(y + 16)\" font-size=\"13\">\(Int((rate * 100).rounded())) %</text>"
        }
        return svg + "</svg>"
    }
}
