#if canImport(Glibc)
import Glibc
#endif

/// A mutex with a condition variable, for threads that wait until some state changes.
public final class ConditionLock<State>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    /// Wraps `state`.
    public init(_ state: State) {
        self.state = state
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs `body` with the state locked; wakes every waiter afterwards.
    @discardableResult
    public func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Waits until `ready` holds (or `timeout` passes), then runs `body` with the state locked.
    /// Returns nil on timeout.
    public func wait<Result>(
        until ready: (State) -> Bool, timeout: Duration? = nil, _ body: (inout State) throws -> Result
    ) rethrows -> Result? {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        var deadline = timespec()
        if let timeout {
            clock_gettime(CLOCK_MONOTONIC, &deadline)
            let (seconds, attoseconds) = timeout.components
            var nanos = Int(deadline.tv_nsec) + Int(attoseconds / 1_000_000_000)
            deadline.tv_sec += Int(seconds) + nanos / 1_000_000_000
            nanos %= 1_000_000_000
            deadline.tv_nsec = nanos
        }
        while !ready(state) {
            if timeout != nil {
                if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT {
                    if !ready(state) { return nil }
                    break
                }
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
        return try body(&state)
    }
}
