import AppSupport
import Foundation
import Jobs
import Postgres
import Synchronization
import Tasks
import Testing
import TestSupport
import Threads

@Suite("Enqueue")
struct EnqueueTests {
    @Test("a job enqueued in a rolled-back transaction never exists; a committed one does, and wakes listeners at commit")
    func transactional() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let listener = try TestDatabase.connect()
            try listener.listen("weather_jobs")
            let name = Fixture.uniqueQueue("tx")
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try db.transaction { tx in
                    _ = try Fixture.enqueue(tx, name)
                    throw Abort()
                }
            }
            // Other tests enqueue on the same database at the same time: only count this sender's.
            let sender = db.serverProcessID
            func ours(_ timeout: Duration) throws -> [PostgresNotification] {
                let clock = ContinuousClock()
                let deadline = clock.now + timeout
                var mine: [PostgresNotification] = []
                while mine.isEmpty, clock.now < deadline {
                    mine = try listener.waitForNotifications(timeout: clock.now.duration(to: deadline)).filter { $0.senderProcessID == sender }
                }
                return mine
            }
            #expect(try Fixture.counts(name, on: db).isEmpty)
            #expect(try ours(.milliseconds(100)).isEmpty)
            try db.transaction { tx in
                _ = try Fixture.enqueue(tx, name)
                #expect(try ours(.milliseconds(100)).isEmpty)
            }
            #expect(try Fixture.counts(name, on: db) == ["queued": 1])
            #expect(try ours(.seconds(5)).map(\.channel) == ["weather_jobs"])
        }
    }

    @Test("a batch goes in with one statement per chunk and keeps its order")
    func batch() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let name = Fixture.uniqueQueue("batch")
            let requests = (0..<2500).map { EnqueueRequest(task: "test_task", args: ["message": .string("m\($0)")], queue: name) }
            let ids = try Fixture.queue.enqueueBatch(requests, on: db, chunkSize: 1000)
            #expect(ids.count == 2500)
            #expect(ids == ids.sorted())
            let first = try Fixture.queue.job(ids[0], on: db)
            #expect(first?.args == ["message": "m0"])
            #expect(try Fixture.queue.job(ids[2499], on: db)?.args == ["message": "m2499"])
        }
    }

    @Test("a run time instead of a delay is kept as given")
    func runAt() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let when = Date().addingTimeInterval(3600)
            let id = try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", queue: Fixture.uniqueQueue("at"), runAt: when), on: db).id
            let job = try #require(try Fixture.queue.job(id, on: db))
            #expect(abs(job.runAt.timeIntervalSince(when)) < 0.01)
        }
    }

    @Test("unknown tasks and bad fields are refused before touching the database")
    func validation() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            #expect(throws: EnqueueError.unknownTask("nope")) {
                try Fixture.queue.enqueue(EnqueueRequest(task: "nope"), on: db)
            }
            #expect(throws: EnqueueError.self) { try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", args: [1, 2]), on: db) }
            #expect(throws: EnqueueError.self) { try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", maxAttempts: 0), on: db) }
            #expect(throws: EnqueueError.self) { try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", delayMilliseconds: -1), on: db) }
        }
    }

    @Test("unique keys under concurrent enqueue: one job, every caller gets its id; a finished job frees the key")
    func uniqueKeysConcurrently() async throws {
        let name = Fixture.uniqueQueue("uniq")
        let key = "report-\(UInt32.random(in: 0...UInt32.max))"
        let outcomes = Mutex<[JobQueue.Enqueued]>([])
        let failures = Mutex<[String]>([])
        await onThread {
            let threads = (0..<8).map { _ in
                PosixThread(name: "enqueue") {
                    do {
                        let db = try TestDatabase.connect()
                        for _ in 0..<10 {
                            let result = try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", queue: name, uniqueKey: key), on: db)
                            outcomes.withLock { $0.append(result) }
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
            threads.forEach { $0.join() }
        }
        #expect(failures.withLock { $0 } == [])
        let all = outcomes.withLock { $0 }
        #expect(all.count == 80)
        #expect(Set(all.map(\.id)).count == 1)
        #expect(all.filter(\.created).count == 1)
        try await onThread {
            let db = try TestDatabase.connect()
            #expect(try Fixture.counts(name, on: db) == ["queued": 1])
            // Once that job is finished (cancelled here), the key makes a new job.
            #expect(try Fixture.queue.cancel(all[0].id, on: db) == .cancelled)
            let again = try Fixture.queue.enqueue(EnqueueRequest(task: "test_task", queue: name, uniqueKey: key), on: db)
            #expect(again.created)
            #expect(again.id != all[0].id)
        }
    }

    @Test("cancel: a queued job at once; a finished one is reported; an unknown id is not found")
    func cancelQueued() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let name = Fixture.uniqueQueue("cancel")
            let id = try Fixture.enqueue(db, name)
            #expect(try Fixture.queue.cancel(id, on: db) == .cancelled)
            let job = try #require(try Fixture.queue.job(id, on: db))
            #expect(job.state == .cancelled)
            #expect(job.finishedAt != nil)
            #expect(try Fixture.queue.cancel(id, on: db) == .alreadyFinished(.cancelled))
            #expect(try Fixture.queue.cancel(Int.max, on: db) == .notFound)
        }
    }

    @Test("finished jobs past the retention period are purged in batches; others stay")
    func purge() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let name = Fixture.uniqueQueue("purge")
            let ids = try Fixture.queue.enqueueBatch((0..<30).map { _ in EnqueueRequest(task: "test_task", queue: name) }, on: db)
            let old = PostgresTextArray(ids.prefix(25).map(String.init))
            // 25 finished long ago, 5 still queued.
            try db.execute("""
                UPDATE jobs SET state = 'succeeded', finished_at = now() - interval '40 days'
                WHERE id = ANY(\(old)::bigint[])
                """)
            let recent = try Fixture.enqueue(db, name)
            try db.execute("UPDATE jobs SET state = 'succeeded', finished_at = now() WHERE id = \(recent)")
            let purged = try Fixture.queue.purgeFinished(olderThan: .seconds(30 * 86_400), batchSize: 7, on: db)
            #expect(purged >= 25)
            #expect(try Fixture.counts(name, on: db) == ["queued": 5, "succeeded": 1])
        }
    }
}
