/// Request counts and durations by route and status, for `/metrics`. (Placeholder: the
/// implementation follows.)
public final class RequestMetrics: Sendable {
    /// Empty figures.
    public init() {}

    /// Records one answered request.
    public func record(route: String, method: String, status: Int, seconds: Double) {}
}
