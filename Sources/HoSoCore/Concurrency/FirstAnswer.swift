import Synchronization

/// A result that one of several parties gives, once: the first `give` counts, later ones are dropped. The
/// waiter suspends until it is given (before or after it starts waiting); cancelling the waiter does not
/// end the wait, so a caller cannot walk away from work that is still using a resource it must give back.
public final class FirstAnswer<T: Sendable>: Sendable {
    private enum State {
        case open
        case waiting(CheckedContinuation<T, any Error>)
        case given(Result<T, any Error>)
        case taken
    }

    private let state = Mutex(State.open)

    public init() {}

    /// Gives the answer if none was given yet.
    public func give(_ result: Result<T, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
            switch state {
            case .open:
                state = .given(result)
                return nil
            case .waiting(let continuation):
                state = .taken
                return continuation
            case .given, .taken:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    /// The first answer given; waits for it. Called once.
    public func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<T, any Error>? in
                switch state {
                case .open:
                    state = .waiting(continuation)
                    return nil
                case .given(let result):
                    state = .taken
                    return result
                case .waiting, .taken:
                    preconditionFailure("an answer is waited for once")
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
