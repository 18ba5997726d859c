import Access
import AppSupport
import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// `POST /api/tasks`, `GET /api/tasks/{id}` and `POST /api/tasks/{id}/cancel` through nginx and
/// the real FCGIApp: the happy paths and every error the contract names.
@Suite("Task API endpoints")
struct TaskEndpointTests {
    @Test("enqueue answers 202 with the job; show returns it; a held unique key answers 200 with the same job")
    func enqueueAndShow() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let created = try api.call(
                .post, "/api/tasks",
                body: #"{"task":"test_task","args":{"message":"hi"},"queue":"api","priority":5,"delay_seconds":3600}"#)
            #expect(created.status == 202, "\(created.text)")
            #expect(created.json["task"] == "test_task")
            #expect(created.json["args"] == ["message": "hi"])
            #expect(created.json["queue"] == "api")
            #expect(created.json["priority"] == 5)
            #expect(created.json["state"] == "queued")
            #expect(created.json["attempts"] == 0)
            #expect(created.json["progress"]?["current"] == .null)
            #expect(created.json["finished_at"] == .null)
            #expect(created.header("X-Job-Created") == "true")
            let id = try #require(created.json["id"]?.taskInt)
            #expect(created.header("Location") == "/api/tasks/\(id)")

            let shown = try api.call(.get, "/api/tasks/\(id)")
            #expect(shown.status == 200)
            #expect(shown.json["id"] == .int(id))
            #expect(shown.json["state"] == "queued")
            #expect(shown.json["wait"] == nil)

            let minimal = try api.call(.post, "/api/tasks", body: #"{"task":"test_task"}"#)
            #expect(minimal.status == 202)
            #expect(minimal.json["queue"] == "default")
            #expect(minimal.json["priority"] == 0)
            #expect(minimal.json["args"] == [:])

            let first = try api.call(.post, "/api/tasks", body: #"{"task":"test_task","unique_key":"once","delay_seconds":3600}"#)
            let second = try api.call(.post, "/api/tasks", body: #"{"task":"test_task","unique_key":"once"}"#)
            #expect(first.status == 202)
            #expect(second.status == 200, "\(second.text)")
            #expect(second.header("X-Job-Created") == "false")
            #expect(second.json["id"] == first.json["id"])
            #expect(second.json["unique_key"] == "once")
        }
    }

    @Test("401 without a token, with an unknown one and with a revoked one, on every task route")
    func authentication() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let id = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let routes: [(HTTPMethod, String)] = [
                (.post, "/api/tasks"), (.get, "/api/tasks"), (.get, "/api/tasks/\(id)"), (.post, "/api/tasks/\(id)/cancel"),
            ]
            for (method, path) in routes {
                let body = method == .post ? #"{"task":"test_task"}"# : nil
                let missing = try api.call(method, path, body: body, token: nil)
                #expect(missing.status == 401, "\(method) \(path)")
                #expect(missing.json["error"]?["code"] == "unauthorized")
                #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                let invalid = try api.call(method, path, body: body, token: "wst_not-a-real-token-at-all")
                #expect(invalid.status == 401, "\(method) \(path)")
            }
            let connection = try api.database()
            defer { connection.close() }
            try TokenStore.revoke(name: api.tokenName, on: connection)
            // Responders cache live tokens until the revocation's notification arrives.
            try eventually("the revoked token is refused", seconds: 10) { try api.call(.get, "/api/tasks/\(id)").status == 401 }
            let revoked = try api.call(.get, "/api/tasks/\(id)")
            #expect(revoked.status == 401)
            #expect(revoked.json["error"]?["message"]?.taskString?.contains("revoked") == true)
            #expect(try connection.query("SELECT state FROM jobs WHERE id = \(id)").first?.decode(String.self, "state") == "queued")
        }
    }

    @Test("POST /api/tasks: 415 without JSON, 400 naming the field, 422 for an unknown task")
    func enqueueErrors() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            let text = try api.call(.post, "/api/tasks", body: #"{"task":"test_task"}"#, contentType: "text/plain")
            #expect(text.status == 415)
            #expect(text.json["error"]?["code"] == "unsupported_media_type")
            let none = try api.call(.post, "/api/tasks", body: #"{"task":"test_task"}"#, contentType: nil)
            #expect(none.status == 415)
            let charset = try api.call(.post, "/api/tasks", body: #"{"task":"test_task"}"#, contentType: "application/json; charset=utf-8")
            #expect(charset.status == 202)

            let cases: [(body: String, field: String)] = [
                ("{not json", "body"), ("[1,2]", "body"), ("{}", "task"), (#"{"task":""}"#, "task"), (#"{"task":7}"#, "task"),
                (#"{"task":"test_task","args":[1]}"#, "args"), (#"{"task":"test_task","queue":""}"#, "queue"),
                (#"{"task":"test_task","queue":5}"#, "queue"), (#"{"task":"test_task","priority":"high"}"#, "priority"),
                (#"{"task":"test_task","priority":1.5}"#, "priority"), (#"{"task":"test_task","priority":99999999}"#, "priority"),
                (#"{"task":"test_task","delay_seconds":-1}"#, "delay_seconds"),
                (#"{"task":"test_task","delay_seconds":"soon"}"#, "delay_seconds"),
                (#"{"task":"test_task","unique_key":""}"#, "unique_key"), (#"{"task":"test_task","unique_key":3}"#, "unique_key"),
                (#"{"task":"test_task","colour":"red"}"#, "colour"),
            ]
            for (body, field) in cases {
                let answer = try api.call(.post, "/api/tasks", body: body)
                #expect(answer.status == 400, "\(body): \(answer.text)")
                #expect(answer.json["error"]?["code"] == "invalid_argument", "\(body)")
                #expect(answer.json["error"]?["message"]?.taskString?.hasPrefix(field + ":") == true, "\(body): \(answer.text)")
            }

            // Malformed JSON: the answer says what is wrong and where.
            let duplicate = try api.call(.post, "/api/tasks", body: "{\"task\": \"test_task\",\n \"task\": \"other\"}")
            #expect(duplicate.status == 400)
            #expect(
                duplicate.json["error"]?["message"]?.taskString
                    == "body: is not valid JSON: the key \"task\" appears twice in one object (line 2, column 2)", "\(duplicate.text)")

            let unknown = try api.call(.post, "/api/tasks", body: #"{"task":"no_such_task"}"#)
            #expect(unknown.status == 422)
            #expect(unknown.json["error"]?["code"] == "unknown_task")
            let message = unknown.json["error"]?["message"]?.taskString ?? ""
            #expect(message.contains("no_such_task") && message.contains("test_task") && message.contains("health_check"))

            let connection = try api.database()
            defer { connection.close() }
            #expect(try connection.query("SELECT count(*)::int AS n FROM jobs").first?.decode(Int.self, "n") == 1)
        }
    }

    @Test("GET and cancel: 404 for an unknown id, 400 for a bad id; cancel answers 200, 202 or 409 by state")
    func showAndCancel() async throws {
        try await onThread {
            let api = try TaskAPIFixture()
            for path in ["/api/tasks/999999", "/api/tasks/999999/cancel"] {
                let answer = try api.call(path.hasSuffix("cancel") ? .post : .get, path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.json["error"]?["code"] == "not_found")
            }
            for bad in ["abc", "0", "-3", "1.5", "99999999999999999999999"] {
                let answer = try api.call(.get, "/api/tasks/\(bad)")
                #expect(answer.status == 400, "\(bad): \(answer.text)")
                #expect(answer.json["error"]?["message"]?.taskString?.hasPrefix("id:") == true)
                #expect(try api.call(.post, "/api/tasks/\(bad)/cancel").status == 400)
            }
            let waiting = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let cancelled = try api.call(.post, "/api/tasks/\(waiting)/cancel")
            #expect(cancelled.status == 200, "\(cancelled.text)")
            #expect(cancelled.json["state"] == "cancelled")
            #expect(cancelled.json["finished_at"] != .null)
            let again = try api.call(.post, "/api/tasks/\(waiting)/cancel")
            #expect(again.status == 409)
            #expect(again.json["error"]?["code"] == "conflict")

            let done = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            try api.finish(done)
            let finished = try api.call(.post, "/api/tasks/\(done)/cancel")
            #expect(finished.status == 409)
            #expect(finished.json["error"]?["message"]?.taskString?.contains("succeeded") == true)

            let running = try api.enqueue(#"{"task":"test_task","delay_seconds":3600}"#)
            let connection = try api.database()
            defer { connection.close() }
            _ = try connection.execute("UPDATE jobs SET state = 'running', attempts = 1, started_at = now(), worker = 'w-test' WHERE id = \(running)")
            let stopping = try api.call(.post, "/api/tasks/\(running)/cancel")
            #expect(stopping.status == 202, "\(stopping.text)")
            #expect(stopping.json["state"] == "running")

            let method = try api.call(.delete, "/api/tasks/\(running)")
            #expect(method.status == 405)
        }
    }
}
