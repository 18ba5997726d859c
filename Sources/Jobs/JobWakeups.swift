/// Wakes the daemons about new runnable jobs *after* their insert committed, from elsewhere than
/// the enqueuing statement.
///
/// A `NOTIFY` inside the enqueuing transaction takes Postgres's one notification-queue lock at
/// commit, so every such commit waits for the one before it (and its WAL flush): with `fsync` on,
/// 4 clients inserting one job per transaction reached 8.9k inserts/s without the `NOTIFY` and
/// 4.8k with it, 16 clients 12.9k against 4.3k. A long-lived process that enqueues often
/// (FCGIApp) hands the wake-up to its listener thread instead, which sends one `NOTIFY` for all
/// the jobs committed since its last one.
public protocol JobWakeups: Sendable {
    /// Runnable jobs were committed: send a wake-up soon. Calls that come while one is pending
    /// share it.
    func jobsWaiting()
}
