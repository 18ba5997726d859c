/// Waits for jobs to finish for `GET /api/tasks/{id}?wait=SECONDS`: one shared LISTEN connection
/// for every waiter, and a bound on concurrent waits. (Placeholder: the implementation follows.)
public final class JobWaiter: Sendable {
    /// A waiter.
    public init() {}
}
