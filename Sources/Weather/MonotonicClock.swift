import Threads

/// A monotonic clock that can also block the calling thread: the time source of ``RateLimiter``,
/// replaceable in tests by a clock whose `sleep` just moves time forward.
public protocol MonotonicClock: Sendable {
    /// The time elapsed since an arbitrary fixed origin; never goes backwards.
    func now() -> Duration
    /// Blocks the calling thread for `duration` (returns at once when it is not positive).
    func sleep(for duration: Duration)
}

/// The real clock: `ContinuousClock` time and a blocking POSIX sleep.
public struct SystemClock: MonotonicClock {
    private static let origin = ContinuousClock().now

    /// Creates the clock.
    public init() {}

    /// The time since the first use of the clock in this process.
    public func now() -> Duration {
        ContinuousClock().now - Self.origin
    }

    /// Blocks the calling thread (never call it on Swift's cooperative pool).
    public func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        // A timed wait on a private condition nobody signals: a plain thread sleep through the
        // Threads module, with a monotonic deadline.
        let lock = ConditionLock(())
        _ = lock.wait(until: { _ in false }, timeout: duration) { _ in }
    }

    /// Sleeps for `duration` in slices, returning early (with `false`) once `isCancelled` says so.
    /// - Returns: `true` when the whole duration passed without cancellation.
    public func sleep(for duration: Duration, slice: Duration = .milliseconds(100), isCancelled: () -> Bool) -> Bool {
        let deadline = now() + duration
        while true {
            if isCancelled() { return false }
            let remaining = deadline - now()
            if remaining <= .zero { return true }
            sleep(for: min(remaining, slice))
        }
    }
}
