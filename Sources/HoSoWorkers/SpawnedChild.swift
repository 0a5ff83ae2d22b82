import Foundation
import Glibc
import Synchronization

/// A child process started with `posix_spawn`, its standard input and output connected to pipes held
/// here, its standard error the parent's (so what a decoder prints reaches the log).
///
/// The thin wrapper around the C calls: nothing in it knows what the child does.
struct SpawnedChild: Sendable {
    let pid: pid_t
    /// The write end of the child's standard input.
    let input: Int32
    /// The read end of the child's standard output.
    let output: Int32

    /// How a child ended.
    enum Ending: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)
    }

    /// Held from making the pipes until the child has its copies: `pipe2` is not importable, and a
    /// pipe end without close-on-exec leaking into another worker would keep a dead worker's pipe open.
    private static let spawning = Mutex(())

    /// Starts `executable` with `arguments`; throws a one-line reason when it cannot.
    static func spawn(_ executable: String, arguments: [String]) throws(WorkerFailure) -> SpawnedChild {
        try spawning.withLock { _ throws(WorkerFailure) in try spawnLocked(executable, arguments: arguments) }
    }

    private static func spawnLocked(_ executable: String, arguments: [String]) throws(WorkerFailure) -> SpawnedChild {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { throw .unavailable("cannot make a pipe: \(String(cString: strerror(errno)))") }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw .unavailable("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)

        // Signals the daemon ignores or blocks (SIGPIPE, SIGTERM for graceful shutdown) would be
        // inherited; the child gets the defaults back, SIGXCPU included, so its CPU limit ends it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t(), empty = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGXCPU] { sigaddset(&defaults, signal) }
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0])
            throw .unavailable("cannot run \(executable): \(String(cString: strerror(status)))")
        }
        return SpawnedChild(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// Kills the child (if it still runs) and waits for it.
    func stop() -> Ending {
        kill(pid, SIGKILL)
        return wait()
    }

    /// Closes the pipes and waits for the child to end.
    func wait() -> Ending {
        close(input)
        close(output)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        // WIFSIGNALED / WTERMSIG / WEXITSTATUS are macros Swift cannot import.
        let signal = status & 0x7F
        return signal != 0 && signal != 0x7F ? .signalled(signal) : .exited((status >> 8) & 0xFF)
    }
}
