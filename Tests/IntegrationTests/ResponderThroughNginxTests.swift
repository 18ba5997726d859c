import Foundation
import HTTPClient
import Testing
import TestSupport

@Suite("FCGIApp through nginx")
struct ResponderThroughNginxTests {
    @Test("GET /api/ping: 200 {\"ok\":true}, JSON, with nginx's request id")
    func ping() async throws {
        let response = try await send(.get, try await sharedBaseURL() + "/api/ping")
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"ok":true}"#)
        #expect(response.header("Content-Type") == "application/json")
        let id = try #require(response.header("X-Request-Id"))
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
    }

    @Test("GET /api/health: 200 with the database, schema version, queue depth and live workers")
    func health() async throws {
        let response = try await send(.get, try await sharedBaseURL() + "/api/health")
        #expect(response.status == 200)
        let body = try jsonObject(response)
        #expect(body["ok"] as? Bool == true)
        #expect(body["database"] as? String == "ok")
        #expect((body["schema_version"] as? Int ?? 0) >= 2)
        #expect(body["queue_depth"] is Int)
        #expect(body["queue_depth_capped"] is Bool)
        #expect(body["live_workers"] is Int)
    }

    @Test("unknown path: 404 JSON error; wrong method: 405 JSON error with Allow")
    func notFoundAndMethod() async throws {
        let base = try await sharedBaseURL()
        let missing = try await send(.get, base + "/api/does-not-exist")
        #expect(missing.status == 404)
        #expect(try errorCode(missing) == "not_found")
        let wrong = try await send(.post, base + "/api/ping", body: Array("{}".utf8))
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow") == "GET, HEAD")
        #expect(try errorCode(wrong) == "method_not_allowed")
    }

    @Test("oversized bodies: 413 JSON from the responder (over 1 MiB) and from nginx (over 2 MiB)")
    func payloadTooLarge() async throws {
        let base = try await sharedBaseURL()
        let overApp = try await send(.post, base + "/api/ping", headers: [("Content-Type", "application/json")], body: [UInt8](repeating: 32, count: 1_500_000))
        #expect(overApp.status == 413)
        #expect(try errorCode(overApp) == "payload_too_large")
        let overNginx = try await send(.post, base + "/api/ping", headers: [("Content-Type", "application/json")], body: [UInt8](repeating: 32, count: 3_000_000))
        #expect(overNginx.status == 413)
        #expect(try errorCode(overNginx) == "payload_too_large")
    }

    @Test("query strings arrive decoded")
    func queryDecoding() async throws {
        let response = try await send(.get, try await sharedBaseURL() + "/api/ping?x=1&echo=S%C3%A3o+Paulo%20%26%20%3Cmore%3E")
        #expect(response.status == 200)
        #expect(try jsonObject(response)["echo"] as? String == "São Paulo & <more>")
        let percentPath = try await send(.get, try await sharedBaseURL() + "/api/no%20such")
        #expect(try (jsonObject(percentPath)["error"] as? [String: Any])?["message"] as? String == "no resource at /api/no such")
    }

    @Test("HEAD: headers and no body")
    func head() async throws {
        let response = try await send(.head, try await sharedBaseURL() + "/api/ping")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "11")
    }

    @Test("nginx serves static files itself")
    func staticFiles() async throws {
        let base = try await sharedBaseURL()
        let css = try await send(.get, base + "/static/site.css")
        #expect(css.status == 200)
        #expect(css.header("Content-Type") == "text/css")
        let index = try await send(.get, base + "/")
        #expect(index.status == 200)
        #expect(index.bodyText.contains("Weather service"))
        let traversal = try await send(.get, base + "/static/../../etc/passwd")
        #expect(traversal.status != 200 || !traversal.bodyText.contains("root:"))
    }

    @Test("every request is logged once with method, path, status, duration and id")
    func accessLog() async throws {
        let base = try await sharedBaseURL()
        let response = try await send(.get, base + "/api/ping?echo=logged")
        let id = try #require(response.header("X-Request-Id"))
        // Info lines are written in blocks at least every 200 ms.
        let log = try await onThread { () throws -> String in
            let stack = try SharedStack.get()
            try eventually("the request's log line") { stack.fcgiLog.contains(id) }
            return stack.fcgiLog
        }
        let lines = log.split(separator: "\n").filter { $0.contains(id) }
        #expect(lines.count == 1)
        let line = String(lines.first ?? "")
        #expect(line.contains("GET /api/ping 200 "))
        #expect(line.contains("ms request_id=\(id)"))
        // The whole line, as the responder writes it byte by byte.
        let shape = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info fcgiapp: GET /api/ping 200 \d+\.\d{3}ms request_id="# + id + "$")
        #expect(line.wholeMatch(of: shape) != nil, "\(line)")
    }
}
