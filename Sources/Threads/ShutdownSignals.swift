#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, handled by waiting for them rather than by handlers: block them before
/// any thread starts (threads inherit the mask) and have one thread wait.
public enum ShutdownSignals {
    static func set() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        return signals
    }

    /// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts later) and
    /// ignores SIGPIPE.
    public static func block() {
        var signals = set()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits up to `timeout` for SIGTERM or SIGINT; returns its name, or nil on timeout.
    public static func wait(timeout: Duration) -> String? {
        var signals = set()
        var limit = timeout.timespec
        switch sigtimedwait(&signals, nil, &limit) {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return nil
        }
    }
}
