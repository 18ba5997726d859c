import Testing
import TestSupport
@testable import Web

/// Under `/admin/` every error the application maps (no route, wrong method, too large a body,
/// the database out) answers the admin's HTML error page; the API keeps its JSON.
@Suite("Admin error answers")
struct AdminErrorAnswersTests {
    static let app = WebApplication(services: WebServices(), maxBodyBytes: 4096)

    /// A well-formed session cookie (it names no session).
    static let cookie = ["cookie": "\(AdminAuth.cookieName)=\(String(repeating: "A", count: 43))"]

    static func expectHTML(_ response: WebResponse, _ status: Int, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8", sourceLocation: sourceLocation)
        let html = String(decoding: response.body, as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"), sourceLocation: sourceLocation)
        #expect(html.contains(text), "\(html)", sourceLocation: sourceLocation)
    }

    @Test("unknown /admin/ paths: 404 as an HTML page; /api/ and /administrator keep the JSON")
    func notFound() {
        let context = RequestContext(databaseURL: nil)
        for path in ["/admin/nowhere", "/admin/tasks/1/nothing", "/admin"] {
            Self.expectHTML(Self.app.respond(to: WebRequest(method: "GET", path: path), context: context), 404, "no resource at \(path)")
        }
        for path in ["/api/nowhere", "/administrator"] {
            let response = Self.app.respond(to: WebRequest(method: "GET", path: path), context: context)
            #expect(response.status == 404 && response.header("Content-Type") == "application/json", "\(path)")
        }
    }

    @Test("a method the admin path does not take: 405 as an HTML page, with Allow")
    func methodNotAllowed() {
        let response = Self.app.respond(to: WebRequest(method: "GET", path: "/admin/logout"), context: RequestContext(databaseURL: nil))
        Self.expectHTML(response, 405, "GET is not allowed here; use POST")
        #expect(response.header("Allow") == "POST")
        let api = Self.app.respond(to: WebRequest(method: "DELETE", path: "/api/ping"), context: RequestContext(databaseURL: nil))
        #expect(api.status == 405 && api.header("Content-Type") == "application/json")
    }

    @Test("a body over the limit on an admin form: 413 as an HTML page")
    func tooLarge() {
        let request = WebRequest(method: "POST", path: "/admin/tasks/new", headers: Self.cookie, bodyTooLarge: true)
        Self.expectHTML(Self.app.respond(to: request, context: RequestContext(databaseURL: nil)), 413, "larger than 4096 bytes")
    }

    @Test("the database out: 503 as an HTML page with Retry-After; the API keeps its JSON 503")
    func databaseOut() {
        // A port nothing listens on: the connection fails when the session is looked up.
        let port = closedLocalPort()
        let context = RequestContext(databaseURL: "postgresql://nobody@127.0.0.1:\(port)/none?connect_timeout=2")
        let page = Self.app.respond(to: WebRequest(method: "GET", path: "/admin/tasks", headers: Self.cookie), context: context)
        Self.expectHTML(page, 503, "the database is not reachable")
        #expect(page.header("Retry-After") == "5")
        let api = Self.app.respond(to: WebRequest(method: "GET", path: "/api/searches"), context: context)
        #expect(api.status == 503 && api.header("Content-Type") == "application/json")
    }
}
