import Glibc

/// The limits a parser worker puts on itself: `setrlimit`, nothing else.
public enum ResourceLimits {
    /// No core files: a decoder that aborts should leave nothing behind in a station's folders.
    public static func forbidCoreFiles() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none)
    }

    /// Caps the memory the process may allocate. `RLIMIT_DATA` (Linux ≥ 4.7) counts heap and private
    /// writable mappings, not the address space malloc merely reserves, so threads' arenas do not use
    /// up the limit before anything is decoded.
    static func limitMemory(to bytes: Int) {
        var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
        setrlimit(__rlimit_resource_t(RLIMIT_DATA.rawValue), &limit)
    }

    /// Allows `seconds` more CPU time from now: the soft `RLIMIT_CPU` is set that far past what the
    /// process has used, so each request of a long-lived worker gets its own budget. Past it the kernel
    /// sends SIGXCPU, which ends the worker.
    static func allowCPU(seconds: Int) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let used = Int(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + 1
        var current = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &current)
        let wanted = rlim_t(used + seconds)
        var limit = rlimit(rlim_cur: min(wanted, current.rlim_max), rlim_max: current.rlim_max)
        setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &limit)
    }
}
