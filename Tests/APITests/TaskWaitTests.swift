import AppSupport
import Foundation
import HTTPClient
import Testing
import TestSupport

/// `GET /api/tasks/{id}?wait=SECONDS` through nginx: woken when the job finishes, a clean
/// timeout, and the bound on concurrent waits.
@Suite("Task API waiting")
struct TaskWaitTests {
    @Test("a wait answers when a real daemon finishes the job (test_task sleeping 300 ms)")
    func finishedByDaemon() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let daemon = try DaemonProcess(databaseURL: api.url, arguments: ["--concurrency", "1"])
            defer { _ = daemon.stop() }
            let id = try api.enqueue(#"{"task":"test_task","args":{"message":"waited","sleep_ms":300}}"#)
            let started = Date()
            let answer = try api.call(.get, "/api/tasks/\(id)?wait=60")
            let elapsed = Date().timeIntervalSince(started)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["state"] == "succeeded", "\(answer.text)\n\(daemon.log)")
            #expect(answer.json["result"]?["message"] == "waited")
            #expect(answer.json["finished_at"] != .null)
            #expect(answer.json["wait"]?["limited"] == false)
            #expect(answer.json["wait"]?["requested"] == 60)
            #expect(answer.header("X-Wait-Limited") == nil)
            // The job slept 300 ms, so the answer came after it finished, not before.
            #expect(elapsed >= 0.3)
            print("wait answered \(Int(elapsed * 1000)) ms after the request (job sleeps 300 ms)")
        }
    }

    @Test("a job enqueued over HTTP wakes an idle daemon (the responder's listener sends the wake-up after the commit)")
    func enqueueWakesDaemon() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            // Polling once an hour: only a wake-up can start these jobs within the test.
            let daemon = try DaemonProcess(databaseURL: api.url, arguments: ["--concurrency", "1", "--poll-interval", "3600"])
            defer { _ = daemon.stop() }
            // Two jobs one after the other: the second reaches a daemon already idle in its loop.
            for message in ["first", "second"] {
                let id = try api.enqueue(#"{"task":"test_task","args":{"message":"\#(message)"}}"#)
                let answer = try api.call(.get, "/api/tasks/\(id)?wait=30")
                #expect(answer.json["state"] == "succeeded", "\(message): \(answer.text)\n\(daemon.log)")
                #expect(answer.json["result"]?["message"] == .string(message))
            }
        }
    }

    @Test("a wait is woken by the done notification of a job completed by SQL")
    func finishedBySQL() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let id = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let finisher = Thread {
                usleep(300_000)
                try? api.finish(id)
            }
            finisher.start()
            let answer = try api.call(.get, "/api/tasks/\(id)?wait=60")
            #expect(answer.status == 200)
            #expect(answer.json["state"] == "succeeded")
            #expect(answer.json["result"]?["by"] == "sql")
            #expect(answer.json["wait"]?["limited"] == false)

            // Already finished: answers at once with the job.
            let again = try api.call(.get, "/api/tasks/\(id)?wait=30")
            #expect(again.json["state"] == "succeeded")
        }
    }

    @Test("wait=1 on a job that never runs answers 200 queued after at least a second; bad waits are 400; unknown 404")
    func timesOut() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let id = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let started = Date()
            let answer = try api.call(.get, "/api/tasks/\(id)?wait=1")
            let elapsed = Date().timeIntervalSince(started)
            #expect(answer.status == 200)
            #expect(answer.json["state"] == "queued")
            #expect(answer.json["wait"] == ["requested": 1, "granted": 1, "limited": false])
            #expect(elapsed >= 1.0)

            let half = try api.call(.get, "/api/tasks/\(id)?wait=0.2")
            #expect(half.status == 200)
            #expect(half.json["wait"]?["requested"] == 0.2)

            for bad in ["0", "-1", "61", "abc", "", "nan", "inf"] {
                let answer = try api.call(.get, "/api/tasks/\(id)?wait=\(bad)")
                #expect(answer.status == 400, "wait=\(bad): \(answer.text)")
                #expect(answer.json["error"]?["message"]?.taskString?.hasPrefix("wait:") == true)
            }
            #expect(try api.call(.get, "/api/tasks/888888?wait=1").status == 404)
        }
    }

    @Test("with API_MAX_WAITERS=1, a second concurrent wait is limited and says so; the first is still woken")
    func boundedWaits() async throws {
        try await onThread {
            let api = try TaskAPIFixture(extraEnvironment: ["API_MAX_WAITERS": "1"])
            let id = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let first = TaskAnswerBox<TaskAPIFixture.Answer?>(nil)
            // The holder asks again while it is the one limited (the probes below may hold the slot).
            let waiting = Thread {
                for _ in 0..<1000 {
                    guard let answer = try? api.call(.get, "/api/tasks/\(id)?wait=60") else { return }
                    if answer.header("X-Wait-Limited") != "true" {
                        first.set(answer)
                        return
                    }
                }
            }
            waiting.start()
            var limited: TaskAPIFixture.Answer?
            var last = ""
            defer { if limited == nil { Issue.record("last answer: \(last)\n\(api.stack.fcgiLog.suffix(3000))") } }
            try eventually("a second wait to be limited while the first holds the only slot") {
                let answer = try api.call(.get, "/api/tasks/\(id)?wait=0.1")
                if answer.header("X-Wait-Limited") == "true" { limited = answer }
                last = "\(answer.status) \(answer.text) first: \(String(describing: first.get()?.text))"
                return limited != nil
            }
            let second = try #require(limited)
            #expect(second.status == 200)
            #expect(second.json["state"] == "queued")
            #expect(second.json["wait"]?["limited"] == true)
            #expect(second.json["wait"]?["granted"] == 0)
            #expect(second.json["wait"]?["requested"] == 0.1)

            try api.finish(id)
            try eventually("the first wait to answer") { first.get() != nil }
            let answer = try #require(first.get())
            #expect(answer.status == 200)
            #expect(answer.json["state"] == "succeeded")
            #expect(answer.json["wait"]?["limited"] == false)
            #expect(answer.header("X-Wait-Limited") == nil)
        }
    }
}

/// A value shared between test threads.
final class TaskAnswerBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
