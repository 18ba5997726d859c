import AppSupport
import Jobs
import Postgres
import Testing
import TestSupport

/// `Job.writeJSON(into:)` writes the bytes of `Job.json` without building it: it must never differ.
@Suite("Job JSON written straight as bytes")
struct JobJSONBytesTests {
    @Test("jobs in every shape (NULLs, unique key, progress with and without a message, result, error, every state) write json's exact bytes")
    func sameBytes() async throws {
        try await onThread {
            let db = try TestDatabase.connect()
            let queueName = Fixture.uniqueQueue("jsonbytes")
            var ids: [Int] = []
            ids.append(try Fixture.enqueue(db, queueName))
            ids.append(try Fixture.enqueue(db, queueName, args: ["text": "<é \"quoted\" \u{2028}>", "n": [1, 2.5, nil, true]], priority: -3, uniqueKey: "k-\(queueName)"))
            ids.append(try Fixture.enqueue(db, queueName, args: ["nested": ["a": ["b": []]]], delayMs: 60_000, maxAttempts: 7))
            // Fill the optional columns on some rows by hand, as the daemon would.
            try db.execute(
                """
                UPDATE jobs SET state = 'running', attempts = 1, worker = 'host:1:w', started_at = now(),
                                progress_current = 3, progress_total = 10, progress_message = \("step 'three'\n")
                WHERE id = \(ids[1])
                """)
            try db.execute(
                """
                UPDATE jobs SET state = 'failed', attempts = 7, error = 'boom: <b>&amp;</b>', finished_at = now(),
                                result = '{"partial": {"z": 1, "a": "x"}}', progress_current = 10, progress_total = 10
                WHERE id = \(ids[2])
                """)
            for id in ids {
                let job = try #require(try Fixture.queue.job(id, on: db))
                #expect(job.jsonBytes == job.json.bytes, "\(String(decoding: job.jsonBytes, as: UTF8.self))")
            }
        }
    }
}
