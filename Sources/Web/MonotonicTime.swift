#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds, straight from the clock (cheaper than `ContinuousClock` and
/// `Duration` arithmetic on every request).
enum MonotonicTime {
    static func nanoseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }
}
