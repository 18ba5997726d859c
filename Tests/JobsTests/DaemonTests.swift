import AppSupport
import Foundation
import Jobs
import Postgres
import Tasks
import Testing
import TestSupport

@Suite("Daemon: running jobs by the rules")
struct DaemonTests {
    @Test("retries with backoff until success; the history has every attempt")
    func retriesThenSucceeds() async throws {
        let name = Fixture.uniqueQueue("retry")
        try await onThread {
            let db = try TestDatabase.connect()
            let daemon = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name))
            let succeeds = try Fixture.enqueue(db, name, args: ["fail_times": 2, "message": "third time"])
            let permanent = try Fixture.enqueue(db, name, args: ["fail_permanently": true])
            let exhausted = try Fixture.enqueue(db, name, args: ["fail_times": 5], maxAttempts: 2)
            try eventually("all three jobs to finish") {
                try [succeeds, permanent, exhausted].allSatisfy { try Fixture.queue.job($0, on: db)?.state.isFinished == true }
            }
            let ok = try #require(try Fixture.queue.job(succeeds, on: db))
            #expect(ok.state == .succeeded)
            #expect(ok.attempts == 3)
            #expect(ok.result == ["message": "third time", "attempt": 3])
            #expect(try Fixture.queue.attempts(of: succeeds, on: db).map(\.outcome) == ["retrying", "retrying", "succeeded"])
            #expect(try Fixture.queue.attempts(of: succeeds, on: db).first?.error?.contains("attempt 1 failed") == true)

            let bad = try #require(try Fixture.queue.job(permanent, on: db))
            #expect(bad.state == .failed)
            #expect(bad.attempts == 1)
            #expect(bad.error?.contains("fail_permanently") == true)

            let tired = try #require(try Fixture.queue.job(exhausted, on: db))
            #expect(tired.state == .failed)
            #expect(tired.attempts == 2)
            #expect(daemon.stop() == 0)
        }
    }

    @Test("priorities first, then age; a delayed job waits for its time")
    func priorityAndDelay() async throws {
        let name = Fixture.uniqueQueue("prio")
        try await onThread {
            let db = try TestDatabase.connect()
            // One worker, nothing claimed ahead: a blocker holds it while the others are enqueued.
            let daemon = try DaemonProcess(
                databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name, concurrency: 1, extra: ["--prefetch", "0"]))
            let blocker = try Fixture.enqueue(db, name, args: ["sleep_ms": 1500], priority: 1000)
            try eventually("the blocker to run") { try Fixture.queue.job(blocker, on: db)?.state == .running }
            let low = try Fixture.enqueue(db, name, priority: -5)
            let normalA = try Fixture.enqueue(db, name)
            let high = try Fixture.enqueue(db, name, priority: 10)
            let normalB = try Fixture.enqueue(db, name)
            let enqueuedAt = Date()
            let delayed = try Fixture.enqueue(db, name, priority: 100, delayMs: 3000)
            try eventually("all jobs to succeed") { try Fixture.counts(name, on: db) == ["succeeded": 6] }
            let order = try db.query("SELECT id FROM jobs WHERE queue = \(name) ORDER BY started_at, id").map { try $0.decode(Int.self, "id") }
            #expect(order == [blocker, high, normalA, normalB, low, delayed])
            let started = try #require(try Fixture.queue.job(delayed, on: db)?.startedAt)
            #expect(started.timeIntervalSince(enqueuedAt) >= 2.9)
            #expect(daemon.stop() == 0)
        }
    }

    @Test("a daemon given several queues drains each of them, and leaves other queues alone")
    func severalQueues() async throws {
        let first = Fixture.uniqueQueue("qa"), second = Fixture.uniqueQueue("qb"), other = Fixture.uniqueQueue("qc")
        try await onThread {
            let db = try TestDatabase.connect()
            for name in [first, second, other] {
                _ = try Fixture.queue.enqueueBatch((0..<50).map { _ in EnqueueRequest(task: "test_task", queue: name) }, on: db)
            }
            let daemon = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments("\(first),\(second)"))
            try eventually("both queues to drain") {
                try Fixture.counts(first, on: db) == ["succeeded": 50] && Fixture.counts(second, on: db) == ["succeeded": 50]
            }
            #expect(try Fixture.counts(other, on: db) == ["queued": 50])
            #expect(daemon.stop() == 0)
        }
    }

    @Test("a job past its time limit is stopped and failed with a timed-out error")
    func timeout() async throws {
        let name = Fixture.uniqueQueue("timeout")
        try await onThread {
            let db = try TestDatabase.connect()
            let daemon = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name))
            let id = try Fixture.enqueue(db, name, args: ["sleep_ms": 60_000], maxAttempts: 1, timeout: 1)
            try eventually("the job to time out", seconds: 20) { try Fixture.queue.job(id, on: db)?.state == .failed }
            let job = try #require(try Fixture.queue.job(id, on: db))
            #expect(job.error == "timed out after 1 s")
            #expect(try Fixture.queue.attempts(of: id, on: db).map(\.outcome) == ["timed_out"])
            #expect(daemon.stop() == 0)
        }
    }

    @Test("cancelling a running job stops it at its next checkpoint; it ends cancelled")
    func cancelRunning() async throws {
        let name = Fixture.uniqueQueue("cancelrun")
        try await onThread {
            let db = try TestDatabase.connect()
            let daemon = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name))
            let id = try Fixture.enqueue(db, name, args: ["sleep_ms": 60_000])
            try eventually("the job to start") { try Fixture.queue.job(id, on: db)?.state == .running }
            #expect(try Fixture.queue.cancel(id, on: db) == .stopRequested)
            try eventually("the job to end cancelled", seconds: 10) { try Fixture.queue.job(id, on: db)?.state == .cancelled }
            #expect(try Fixture.queue.attempts(of: id, on: db).map(\.outcome) == ["cancelled"])
            #expect(daemon.stop() == 0)
        }
    }

    @Test("progress is stored and visible while the job runs")
    func progress() async throws {
        let name = Fixture.uniqueQueue("progress")
        try await onThread {
            let db = try TestDatabase.connect()
            let daemon = try DaemonProcess(databaseURL: try TestDatabase.url(), arguments: Fixture.daemonArguments(name))
            let id = try Fixture.enqueue(db, name, args: ["sleep_ms": 2000, "progress_steps": 4])
            try eventually("progress to show mid-run") {
                guard let job = try Fixture.queue.job(id, on: db), job.state == .running, let current = job.progressCurrent else { return false }
                return current >= 1 && current < 4 && job.progressTotal == 4
            }
            try eventually("the job to succeed") { try Fixture.queue.job(id, on: db)?.state == .succeeded }
            let done = try #require(try Fixture.queue.job(id, on: db))
            #expect(done.progressCurrent == 4)
            #expect(done.progressMessage == "step 4 of 4")
            #expect(daemon.stop() == 0)
        }
    }
}
