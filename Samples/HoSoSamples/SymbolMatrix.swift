import Foundation

/// A QR code or barcode as its grid of modules (true = dark), made by an outside encoder so the samples
/// carry codes HoSo did not write.
public struct SymbolMatrix: Hashable, Sendable {
    public enum Symbology: String, Sendable {
        case qr
        case code128

        /// zint's number for it (`zint -b`).
        var zintNumber: Int {
            switch self {
            case .qr: 58
            case .code128: 20
            }
        }
    }

    /// Rows of modules, top first; a linear barcode has one row.
    public let rows: [[Bool]]
    public var width: Int { rows.first?.count ?? 0 }
    public var height: Int { rows.count }

    public init(rows: [[Bool]]) {
        self.rows = rows
    }

    /// Reads what `zint --dump` prints: a line per row, the modules as hex digits, most significant bit
    /// first, in groups of two (a row whose width is not a multiple of 8 ends in a group of one).
    public init?(zintDump text: String) {
        var rows: [[Bool]] = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            var row: [Bool] = []
            for digit in line where digit != " " {
                guard let value = digit.hexDigitValue else { return nil }
                for bit in 0..<4 { row.append(value & (0x8 >> bit) != 0) }
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { return nil }
        self.rows = rows
    }

    /// Encodes `text` with Debian's `zint`.
    public static func zint(_ symbology: Symbology, _ text: String) throws -> SymbolMatrix {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zint")
        process.arguments = ["-b", String(symbology.zintNumber), "--dump", "-d", text]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let printed = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, let matrix = SymbolMatrix(zintDump: printed) else {
            throw SymbolError(text: text, output: printed)
        }
        return matrix
    }
}

/// zint refused the text or printed something that is not a dump.
public struct SymbolError: Error, CustomStringConvertible {
    public let text: String
    public let output: String
    public var description: String { "zint cannot encode '\(text)': \(output)" }
}
