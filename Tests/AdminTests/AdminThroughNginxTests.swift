import Foundation
import HTTPClient
import Testing
import TestSupport

/// The admin through the real nginx and FCGIApp: the sign-in page answers HTML with the security
/// headers, static CSS comes from nginx, and nginx itself holds back a burst of sign-in requests.
@Suite("Admin through nginx")
struct AdminThroughNginxTests {
    @Test("sign-in page and stylesheet through nginx; a burst on /admin/login gets 429 from nginx")
    func signInThroughNginx() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let stack = try ServiceStack(databaseURL: url)
            defer { stack.shutdown() }
            let client = try HTTPClient()
            let page = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/login"))
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(page.bodyText.contains("name=\"password\""))
            let redirected = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/tasks"))
            #expect(redirected.status == 303)
            #expect(redirected.header("Location") == "/admin/login?next=/admin/tasks")
            let css = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/static/admin/admin.css"))
            #expect(css.status == 200 && css.header("Content-Type")?.hasPrefix("text/css") == true)
            // 30 a minute with a burst of 10: 21 requests in a row overrun it unless they took
            // over 20 s.
            var statuses: [Int] = []
            for _ in 0..<20 {
                statuses.append(try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/login")).status)
            }
            #expect(statuses.contains(429), "\(statuses)")
        }
    }
}
