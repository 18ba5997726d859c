import AppSupport
import Jobs
import Postgres
import Synchronization
import Tasks
import Testing
import TestSupport

/// `JobQueue(wakeups:)`: outside a transaction the enqueue sends no NOTIFY itself and hands the
/// wake-up over after the commit; inside one, the NOTIFY comes with the caller's commit as before.
@Suite("Enqueue wake-ups after the commit")
struct EnqueueWakeupsTests {
    final class Recorder: JobWakeups {
        let calls = Mutex(0)
        func jobsWaiting() { calls.withLock { $0 += 1 } }
        var count: Int { calls.withLock { $0 } }
    }

    /// A database of its own, a connection to it, a listener on the jobs channel, and a queue
    /// whose wake-ups go to a recorder.
    static func setUp() throws -> (PostgresConnection, PostgresConnection, Recorder, JobQueue) {
        let url = try TestDatabase.fresh()
        let listener = try PostgresConnection(conninfo: url)
        try listener.listen(JobQueue.jobsChannel)
        let recorder = Recorder()
        return (try PostgresConnection(conninfo: url), listener, recorder, JobQueue(registry: TaskCatalog.registry, wakeups: recorder))
    }

    /// Notifications on the jobs channel within `timeout` (a database of its own: nobody else's).
    static func heard(_ listener: PostgresConnection, within timeout: Duration) throws -> Int {
        try listener.waitForNotifications(timeout: timeout).filter { $0.channel == JobQueue.jobsChannel }.count
    }

    @Test("outside a transaction: one hand-over per runnable job created, no NOTIFY from the insert; delayed or held-key jobs hand over nothing")
    func outsideTransaction() async throws {
        try await onThread {
            let (db, listener, recorder, queue) = try EnqueueWakeupsTests.setUp()

            let first = try queue.enqueueJob(EnqueueRequest(task: "test_task", uniqueKey: "once"), on: db)
            #expect(first.created && recorder.count == 1)
            #expect(try EnqueueWakeupsTests.heard(listener, within: .milliseconds(300)) == 0)

            let held = try queue.enqueueJob(EnqueueRequest(task: "test_task", uniqueKey: "once"), on: db)
            #expect(!held.created && held.job.id == first.job.id)
            _ = try queue.enqueue(EnqueueRequest(task: "test_task", delayMilliseconds: 60_000), on: db)
            #expect(recorder.count == 1)

            // Without wake-ups (TaskRunner, the daemon's own enqueues) the insert still notifies.
            _ = try JobQueue(registry: TaskCatalog.registry).enqueue(EnqueueRequest(task: "test_task"), on: db)
            #expect(try EnqueueWakeupsTests.heard(listener, within: .seconds(5)) == 1)
        }
    }

    @Test("inside the caller's transaction: no hand-over (it would come before the commit); the NOTIFY arrives with the commit")
    func insideTransaction() async throws {
        try await onThread {
            let (db, listener, recorder, queue) = try EnqueueWakeupsTests.setUp()
            try db.transaction { tx in
                _ = try queue.enqueue(EnqueueRequest(task: "test_task"), on: tx)
                #expect(try EnqueueWakeupsTests.heard(listener, within: .milliseconds(200)) == 0)
            }
            #expect(recorder.count == 0)
            #expect(try EnqueueWakeupsTests.heard(listener, within: .seconds(5)) == 1)
        }
    }
}
