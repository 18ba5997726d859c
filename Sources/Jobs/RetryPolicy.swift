/// Exponential backoff with jitter between attempts: `base * 2^(attempt-1)`, capped, times a
/// random factor in [0.5, 1.5) so retries of many jobs spread out.
public struct RetryPolicy: Sendable, Equatable {
    /// The first delay.
    public var base: Duration
    /// The longest delay.
    public var maximum: Duration

    /// Creates a policy.
    public init(base: Duration = .seconds(2), maximum: Duration = .seconds(600)) {
        self.base = base
        self.maximum = maximum
    }

    /// The delay before attempt `attempt + 1`, in milliseconds.
    public func delayMilliseconds(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0.5..<1.5)) -> Int {
        let baseMs = base / .milliseconds(1)
        let maxMs = maximum / .milliseconds(1)
        let exponential = baseMs * pow2(max(0, attempt - 1))
        return Int(min(exponential, maxMs) * jitter)
    }

    private func pow2(_ n: Int) -> Double {
        n >= 60 ? Double.greatestFiniteMagnitude : Double(1 << n)
    }
}
