/// When to try again: exponential backoff with jitter, or the server's `Retry-After`, both capped.
struct RetryPolicy {
    /// The first backoff delay.
    let baseDelay: Duration
    /// The longest wait.
    let maxDelay: Duration

    /// The wait before retry number `retry` (0 for the first retry): `baseDelay * 2^retry`,
    /// capped at ``maxDelay``, then a uniformly random point in its upper half ("equal jitter"),
    /// so parallel clients do not retry in lockstep. A `retryAfter` from the server wins (capped).
    func delay(beforeRetry retry: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(max(retryAfter, .zero), maxDelay) }
        let base = max(baseDelay, .zero)
        let factor = 1 << min(retry, 30)
        let ceiling = min(base * factor, maxDelay)
        let fraction = Double.random(in: 0.5...1.0)
        return ceiling * fraction
    }

    /// The seconds form of a `Retry-After` header (`"2"`); `nil` for an absent header, an
    /// HTTP-date or anything else.
    static func parseRetryAfter(_ value: String?) -> Duration? {
        guard let value else { return nil }
        let text = value.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
        guard let seconds = Int64(text.prefix(while: { $0 != " " && $0 != "\t" })), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 86_400))
    }
}
