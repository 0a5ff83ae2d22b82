import Foundation
import Glibc
import HoSoCore
import Synchronization

/// What a long command is doing, on standard error (standard output keeps its results). On a terminal,
/// one line redrawn in place every second — a bar when the steps are counted, what is under way, and for
/// how long: `[#####-----] 2/4 normalizing a0.tif… 12 s`; elsewhere (a script, a unit's journal), one line
/// as each step ends: `[2/4] a0.tif: normalized in 12.3 s`.
final class ProgressLine: Sendable {
    private struct State {
        var text = ""
        var step: (Int, Int)?
        var since = ContinuousClock.now
        var ticker: Task<Void, Never>?
    }

    private let state = Mutex(State())
    private let terminal = isatty(STDERR_FILENO) == 1

    /// Says what is under way now (step `step` of `total` when counted).
    func doing(_ text: String, step: Int? = nil, of total: Int? = nil) {
        guard terminal else { return }
        let start = state.withLock { state -> Bool in
            state.text = text
            state.step = step.flatMap { step in total.map { (step, $0) } }
            state.since = .now
            return state.ticker == nil
        }
        if start {
            let ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    self?.draw()
                }
            }
            state.withLock { $0.ticker = ticker }
        }
        draw()
    }

    /// Clears the line on a terminal, for a line of the command's own (the next redraw brings it back).
    func clear() {
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Says a step ended: a line of its own where there is no terminal; on a terminal the line is cleared
    /// for the command's own result.
    func done(_ text: String, step: Int? = nil, of total: Int? = nil) {
        guard !terminal else { return clear() }
        let counted = step.flatMap { step in total.map { "[\(step)/\($0)] " } } ?? ""
        FileHandle.standardError.write(Data("\(counted)\(text)\n".utf8))
    }

    /// Clears the line and stops redrawing it.
    func finish() {
        guard terminal else { return }
        state.withLock { state in
            state.ticker?.cancel()
            state.ticker = nil
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    /// Seconds since `start`, to a tenth.
    static func seconds(since start: ContinuousClock.Instant) -> String {
        String(format: "%.1f s", (ContinuousClock.now - start).inSeconds)
    }

    private func draw() {
        let (text, step, since) = state.withLock { ($0.text, $0.step, $0.since) }
        var bar = ""
        if let (step, total) = step, total > 0 {
            let filled = min(10, max(0, (step - 1) * 10 / total))
            bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: 10 - filled) + "] \(step)/\(total) "
        }
        let elapsed = Int((ContinuousClock.now - since).components.seconds)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(bar)\(text)… \(elapsed) s".utf8))
    }
}
