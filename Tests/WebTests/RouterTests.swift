import Testing
@testable import Web

@Suite("Router")
struct RouterTests {
    static func router() -> Router {
        var router = Router()
        router.add("GET", "/api/things") { _, _, _ in WebResponse(status: 200) }
        router.add("POST", "/api/things") { _, _, _ in WebResponse(status: 201) }
        router.add("GET", "/api/things/{id}") { _, params, _ in WebResponse(status: 200, body: Array((params["id"] ?? "").utf8)) }
        router.add("POST", "/api/things/{id}/cancel") { _, _, _ in WebResponse(status: 202) }
        return router
    }

    @Test("static and pattern routes match; HEAD uses GET")
    func matches() throws {
        let router = RouterTests.router()
        guard case .found(let handler, let params) = router.match(method: "GET", path: "/api/things/42") else {
            Issue.record("no match")
            return
        }
        #expect(params["id"] == "42")
        #expect(try handler(WebRequest(method: "GET", path: "/"), params, RequestContext(databaseURL: nil)).body == Array("42".utf8))
        guard case .found = router.match(method: "HEAD", path: "/api/things") else {
            Issue.record("HEAD should use the GET route")
            return
        }
        guard case .found = router.match(method: "POST", path: "/api/things/7/cancel") else {
            Issue.record("pattern with a literal tail should match")
            return
        }
    }

    @Test("a known path with another method is 405 with the allowed methods")
    func methodNotAllowed() {
        let router = RouterTests.router()
        guard case .methodNotAllowed(let allowed) = router.match(method: "DELETE", path: "/api/things") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["GET", "HEAD", "POST"])
        guard case .methodNotAllowed(let patternAllowed) = router.match(method: "PUT", path: "/api/things/1") else {
            Issue.record("expected 405 on a pattern")
            return
        }
        #expect(patternAllowed == ["GET", "HEAD"])
    }

    @Test("unknown paths are not found")
    func notFound() {
        let router = RouterTests.router()
        for path in ["/api/nothing", "/api/things/1/2/3", "/", "/api/things/1/cancel/extra"] {
            guard case .notFound = router.match(method: "GET", path: path) else {
                Issue.record("\(path) should not match")
                continue
            }
        }
    }

    @Test("each path and pattern has one index, shared by its methods; adding a method again replaces its handler")
    func patternIndexes() throws {
        var router = RouterTests.router()
        router.add("GET", "/api/things") { _, _, _ in WebResponse(status: 299) }
        #expect(router.patternNames == ["/api/things", "/api/things/{id}", "/api/things/{id}/cancel"])
        guard case .found(let handler, let params) = router.match(method: "GET", path: "/api/things") else {
            Issue.record("no match")
            return
        }
        #expect(params.route == "/api/things" && params.routeIndex == 0)
        #expect(try handler(WebRequest(method: "GET", path: "/"), params, RequestContext(databaseURL: nil)).status == 299)
        guard case .found(_, let cancel) = router.match(method: "POST", path: "/api/things/7/cancel") else {
            Issue.record("no match")
            return
        }
        #expect(cancel.route == "/api/things/{id}/cancel" && cancel.routeIndex == 2 && cancel["id"] == "7")
        #expect(router.patternIndex(forPath: "/api/things/9") == 1)
        #expect(router.pattern(forPath: "/api/things/9") == "/api/things/{id}")
        #expect(router.pattern(forPath: "/api/things") == "/api/things")
        #expect(router.pattern(forPath: "/api/thingz") == nil)
        #expect(router.pattern(forPath: "/api/things/9/cancel/more") == nil)
    }
}
