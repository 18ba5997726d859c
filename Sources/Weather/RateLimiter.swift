import Threads

/// A thread-safe request budget: at most ``limit`` grants in any window of ``interval``
/// (a sliding window, so the provider's per-minute quota is never exceeded, whatever the timing).
///
/// Share one limiter among all the threads that spend the same budget (one per process for a
/// given API key). Callers block in ``acquire(isCancelled:)`` until the budget allows them through.
public final class RateLimiter: Sendable {
    /// The most grants in any window.
    public let limit: Int
    /// The window length.
    public let interval: Duration
    /// The longest single sleep while waiting, so cancellation is noticed within it.
    public let pollInterval: Duration

    private let clock: any MonotonicClock
    /// The times of the grants still inside the window, oldest first.
    private let grants: ConditionLock<[Duration]>

    /// Creates a limiter allowing `limit` grants per `interval`.
    /// - Parameters:
    ///   - limit: Grants per window; at least 1.
    ///   - interval: The window; one minute by default.
    ///   - clock: The time source; the real clock by default.
    ///   - pollInterval: The longest sleep between cancellation checks; 250 ms by default.
    public init(
        limit: Int, per interval: Duration = .seconds(60), clock: any MonotonicClock = SystemClock(),
        pollInterval: Duration = .milliseconds(250)
    ) {
        self.limit = max(1, limit)
        self.interval = interval
        self.clock = clock
        self.pollInterval = pollInterval > .zero ? pollInterval : .milliseconds(250)
        grants = ConditionLock([])
    }

    /// Creates a limiter of `requestsPerMinute` grants per minute.
    public convenience init(requestsPerMinute: Int, clock: any MonotonicClock = SystemClock()) {
        self.init(limit: requestsPerMinute, per: .seconds(60), clock: clock)
    }

    /// Takes one grant, blocking the calling thread while the window is full.
    /// - Parameter isCancelled: Checked before each wait; when it returns `true`, gives up.
    /// - Returns: `true` once granted; `false` when cancelled (no grant is taken).
    @discardableResult
    public func acquire(isCancelled: () -> Bool = { false }) -> Bool {
        while true {
            if isCancelled() { return false }
            let wait = tryAcquire()
            if wait == .zero { return true }
            clock.sleep(for: min(wait, pollInterval))
        }
    }

    /// Takes a grant if the window allows one now.
    /// - Returns: `.zero` when granted, otherwise how long until the next grant becomes possible.
    public func tryAcquire() -> Duration {
        grants.withLock { grants in
            let now = clock.now()
            let windowStart = now - interval
            if let stale = grants.firstIndex(where: { $0 > windowStart }) {
                grants.removeFirst(stale)
            } else {
                grants.removeAll(keepingCapacity: true)
            }
            if grants.count < limit {
                grants.append(now)
                return .zero
            }
            return max(grants[0] + interval - now, .nanoseconds(1))
        }
    }
}
