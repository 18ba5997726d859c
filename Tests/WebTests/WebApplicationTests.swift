import AppSupport
import Testing
import TestSupport
@testable import Web

@Suite("WebApplication without a socket")
struct WebApplicationTests {
    let app = WebApplication(maxBodyBytes: 1024)

    func respond(_ request: WebRequest, databaseURL: String? = nil) -> WebResponse {
        app.respond(to: request, context: RequestContext(databaseURL: databaseURL))
    }

    func json(_ response: WebResponse) throws -> JSONValue {
        try JSONValue.parse(response.body)
    }

    @Test("GET /api/ping answers {\"ok\":true} with a request id")
    func ping() throws {
        let response = respond(WebRequest(method: "GET", path: "/api/ping", requestID: "req-12345678"))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"ok":true}"#)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("X-Request-Id") == "req-12345678")
    }

    @Test("ping echoes a decoded query value, and refuses an overlong one naming the field")
    func pingEcho() throws {
        let response = respond(WebRequest(method: "GET", path: "/api/ping", queryString: "echo=caf%C3%A9+%3Cb%3E"))
        #expect(try json(response) == ["ok": true, "echo": "café <b>"])
        let long = respond(WebRequest(method: "GET", path: "/api/ping", queryString: "echo=" + String(repeating: "x", count: 300)))
        #expect(long.status == 400)
        #expect(try json(long)["error"]?["message"] == "echo: must be at most 256 characters")
    }

    @Test("unknown path: 404 in the contract's error shape")
    func notFound() throws {
        let response = respond(WebRequest(method: "GET", path: "/api/unknown"))
        #expect(response.status == 404)
        #expect(try json(response) == ["error": ["code": "not_found", "message": "no resource at /api/unknown"]])
    }

    @Test("wrong method: 405 with Allow")
    func methodNotAllowed() throws {
        let response = respond(WebRequest(method: "DELETE", path: "/api/ping"))
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(try json(response)["error"]?["code"] == "method_not_allowed")
    }

    @Test("a body over the limit: 413 before any routing")
    func tooLarge() throws {
        let response = respond(WebRequest(method: "POST", path: "/api/anything", bodyTooLarge: true))
        #expect(response.status == 413)
        #expect(try json(response)["error"]?["code"] == "payload_too_large")
    }

    @Test("HEAD: the GET answer's status and length, no body")
    func head() {
        let response = respond(WebRequest(method: "HEAD", path: "/api/ping"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "11")
    }

    @Test("the health body, written byte by byte, is the JSON of its figures")
    func healthBody() throws {
        for (workers, depth, capped, version) in [(0, 0, false, 6), (3, 100_000, true, 12), (Int.max, Int.min, false, -1)] {
            let body = HealthRoutes.healthBody(liveWorkers: workers, queueDepth: depth, capped: capped, schemaVersion: version)
            let text = #"{"database":"ok","live_workers":\#(workers),"ok":true,"queue_depth":\#(depth),"queue_depth_capped":\#(capped),"schema_version":\#(version)}"#
            #expect(String(decoding: body, as: UTF8.self) == text)
        }
        let parsed = try JSONValue.parse(HealthRoutes.healthBody(liveWorkers: 2, queueDepth: 7, capped: false, schemaVersion: 6))
        #expect(parsed == ["database": "ok", "live_workers": 2, "ok": true, "queue_depth": 7, "queue_depth_capped": false, "schema_version": 6])
    }

    @Test("health without a reachable database: 503 with a JSON reason")
    func healthDatabaseDown() async throws {
        let port = closedLocalPort()
        let response = await onThread {
            respond(WebRequest(method: "GET", path: "/api/health"), databaseURL: "postgresql://u:p@127.0.0.1:\(port)/db")
        }
        #expect(response.status == 503)
        let body = try json(response)
        #expect(body["ok"] == false)
        #expect(body["database"] == "unreachable")
        #expect(body["error"]?["code"] == "database_unavailable")
    }
}
