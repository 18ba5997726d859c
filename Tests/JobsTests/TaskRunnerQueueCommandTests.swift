import AppSupport
import Foundation
import Jobs
import Testing
import TestSupport

@Suite("TaskRunner queue commands")
struct TaskRunnerQueueCommandTests {
    @Test("enqueue --wait prints the result as soon as the job finishes; its exit code says how it ended")
    func enqueueWait() async throws {
        let name = Fixture.uniqueQueue("wait")
        try await onThread {
            let url = try TestDatabase.url()
            let daemon = try DaemonProcess(databaseURL: url, arguments: Fixture.daemonArguments(name))
            let ok = try taskRunner(["enqueue", "test_task", "--queue", name, "--args", #"{"message":"hello"}"#, "--wait", "30"], databaseURL: url)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(try JSONValue.parse(ok.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == ["message": "hello", "attempt": 1])
            let failed = try taskRunner(["enqueue", "test_task", "--queue", name, "--args", #"{"fail_permanently":true}"#, "--wait", "30"], databaseURL: url)
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("failed"))
            let slow = try taskRunner(["enqueue", "test_task", "--queue", name, "--args", #"{"sleep_ms":5000}"#, "--wait", "0.3"], databaseURL: url)
            #expect(slow.status == 124)
            #expect(slow.stderr.contains("still running") || slow.stderr.contains("still queued"))
            #expect(daemon.stop() == 0)
        }
    }

    @Test("enqueue prints the id; show prints the job; --batch reads newline-delimited JSON")
    func enqueueShowBatch() async throws {
        let name = Fixture.uniqueQueue("cli")
        try await onThread {
            let url = try TestDatabase.url()
            let enqueued = try taskRunner(
                ["enqueue", "test_task", "--queue", name, "--priority", "7", "--delay", "60", "--unique-key", "k-\(name)"], databaseURL: url)
            #expect(enqueued.status == 0, "\(enqueued.stderr)")
            let id = try #require(Int(enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            let again = try taskRunner(["enqueue", "test_task", "--queue", name, "--unique-key", "k-\(name)"], databaseURL: url)
            #expect(Int(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == id)
            let shown = try taskRunner(["show", String(id)], databaseURL: url)
            let job = try JSONValue.parse(shown.stdout)
            #expect(job["id"] == .int(id))
            #expect(job["state"] == "queued")
            #expect(job["priority"] == 7)
            for field in ["task", "args", "queue", "attempts", "max_attempts", "progress", "result", "error", "worker", "created_at", "started_at", "finished_at"] {
                #expect(job[field] != nil, "missing \(field)")
            }
            let lines = (0..<300).map { #"{"task":"test_task","queue":"\#(name)","args":{"message":"b\#($0)"},"priority":\#($0 % 3)}"# }
            let batch = try taskRunner(["enqueue", "--batch", "-"], databaseURL: url, stdin: lines.joined(separator: "\n") + "\n")
            #expect(batch.status == 0, "\(batch.stderr)")
            #expect(batch.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "300")
            let queues = try taskRunner(["inspect", "queues", "--json"], databaseURL: url)
            let rows = try JSONValue.parse(queues.stdout)
            guard case .array(let list) = rows else { Issue.record("not an array"); return }
            #expect(list.contains { $0["queue"] == .string(name) && $0["state"] == "queued" && $0["jobs"] == 301 })
        }
    }

    @Test("bad input: one clear line and a non-zero exit, nothing enqueued")
    func badInput() async throws {
        let name = Fixture.uniqueQueue("bad")
        try await onThread {
            let url = try TestDatabase.url()
            let cases: [([String], String)] = [
                (["enqueue", "no_such_task", "--queue", name], "unknown task \"no_such_task\""),
                (["enqueue", "test_task", "--queue", name, "--args", "{not json"], "--args: invalid JSON"),
                (["enqueue", "test_task", "--queue", name, "--args", "[1]"], "--args must be a JSON object"),
                (["enqueue", "test_task", "--queue", name, "--priority", "high"], "--priority"),
                (["run", "no_such_task"], "unknown task"),
                (["show", "abc"], "abc"),
            ]
            for (arguments, expected) in cases {
                let result = try taskRunner(arguments, databaseURL: url)
                #expect(result.status != 0, "\(arguments)")
                #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            }
            let batch = try taskRunner(["enqueue", "--batch", "-"], databaseURL: url,
                                       stdin: "{\"task\":\"test_task\",\"queue\":\"\(name)\"}\n{broken\n")
            #expect(batch.status == 2)
            #expect(batch.stderr.contains("--batch line 2"))
            let db = try TestDatabase.connect()
            #expect(try Fixture.counts(name, on: db).isEmpty)
        }
    }

    @Test("run records the run like a job, prints the result, and fails with a non-zero exit")
    func runRecorded() async throws {
        try await onThread {
            let url = try TestDatabase.url()
            let ok = try taskRunner(["run", "test_task", "--args", #"{"message":"now","progress_steps":2}"#], databaseURL: url)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(try JSONValue.parse(ok.stdout) == ["message": "now", "attempt": 1])
            let db = try TestDatabase.connect()
            let row = try #require(try db.query("""
                SELECT j.state, j.attempts, j.progress_current, a.outcome FROM jobs j JOIN job_attempts a ON a.job_id = j.id
                WHERE j.queue = 'manual' AND j.args->>'message' = 'now' ORDER BY j.id DESC LIMIT 1
                """).first)
            #expect(try row.decode(String.self, "state") == "succeeded")
            #expect(try row.decode(String.self, "outcome") == "succeeded")
            #expect(try row.decode(Int.self, "progress_current") == 2)
            let failed = try taskRunner(["run", "test_task", "--args", #"{"fail_times":1}"#], databaseURL: url)
            #expect(failed.status == 1)
            #expect(failed.stderr.split(separator: "\n").count == 1)
        }
    }
}
