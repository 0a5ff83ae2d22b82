/// Why a file could not be normalized. Each case names the file and says what a person can do about it.
public enum NormalizeError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file is not there or cannot be read.
    case missing(file: String, reason: String)
    /// The file is of a kind HoSo does not take, or uses a feature it does not support.
    case unsupported(file: String, reason: String)
    /// The file claims to be a supported kind but is damaged: truncated, corrupted, inconsistent.
    case corrupt(file: String, reason: String)
    /// The file is over a configured limit (pixels, pages, bytes), found from its headers.
    case overLimit(file: String, reason: String)
    /// A PDF that is encrypted; HoSo cannot archive what it cannot read.
    case encrypted(file: String)
    /// Writing the output failed.
    case io(file: String, reason: String)
    /// The worker process reading the file died on it (a decoder crashed, or ran out of its memory),
    /// again when tried once more.
    case crashed(file: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let file, let reason): "\(file): cannot read input: \(reason)"
        case .unsupported(let file, let reason): "\(file): unsupported: \(reason)"
        case .corrupt(let file, let reason): "\(file): damaged: \(reason)"
        case .overLimit(let file, let reason): "\(file): over the limit: \(reason)"
        case .encrypted(let file): "\(file): the PDF is encrypted; ask for an unencrypted copy"
        case .io(let file, let reason): "\(file): \(reason)"
        case .crashed(let file, let reason): "\(file): crashed the parser: \(reason)"
        }
    }
}
