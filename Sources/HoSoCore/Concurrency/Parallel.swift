import Dispatch
import Foundation

/// Runs `body` for every index in `0..<count` at once on the machine's cores (blocking, like
/// `DispatchQueue.concurrentPerform`) and returns the results in index order.
public func parallelResults<Value, Failure: Error>(
    count: Int, _ body: @Sendable (Int) -> Result<Value, Failure>
) -> [Result<Value, Failure>] {
    let slots = Slots<Result<Value, Failure>>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in slots[index] = body(index) }
    return slots.values
}

/// One slot per index, each filled by one thread.
private final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Value? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    var values: [Value] { lock.withLock { slots.map { $0! } } }
}
