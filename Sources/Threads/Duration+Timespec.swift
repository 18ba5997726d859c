#if canImport(Glibc)
import Glibc
#endif

extension Duration {
    /// The duration as a `timespec` (negative durations become zero).
    public var timespec: Glibc.timespec {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return Glibc.timespec(tv_sec: 0, tv_nsec: 0) }
        return Glibc.timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    }
}

/// Blocks the calling thread for `duration` (never call it from Swift's cooperative pool).
public func blockingSleep(_ duration: Duration) {
    var pause = duration.timespec
    var remaining = Glibc.timespec()
    while nanosleep(&pause, &remaining) != 0 && errno == EINTR { pause = remaining }
}
