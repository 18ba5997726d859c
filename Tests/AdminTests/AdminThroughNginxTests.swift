import Access
import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// The admin through the real nginx and FCGIApp: the sign-in page answers HTML with the security
/// headers, static CSS comes from nginx, errors under /admin/ are HTML pages, nginx itself holds
/// back a burst of sign-in requests, and serves export downloads from its internal location.
@Suite("Admin through nginx")
struct AdminThroughNginxTests {
    @Test("sign-in page, stylesheet and HTML error pages through nginx; a burst on /admin/login gets 429 from nginx")
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
            // The application's own errors under /admin/ are HTML pages, through nginx too.
            for (path, status) in [("/admin/nowhere", 404), ("/admin/logout", 405)] {
                let answer = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + path))
                #expect(answer.status == status, "\(path)")
                #expect(answer.header("Content-Type") == "text/html; charset=utf-8", "\(path)")
                #expect(answer.bodyText.contains("no resource at /admin/nowhere") || answer.bodyText.contains("GET is not allowed here"), "\(path)")
            }
            // nginx's own refusals under /admin/ are HTML pages too; the API's stay JSON.
            let huge = [UInt8](repeating: UInt8(ascii: "a"), count: 3 << 20)
            for (path, type) in [("/admin/tasks/new", "text/html"), ("/api/tasks", "application/json")] {
                let answer = try client.perform(
                    HTTPRequest(method: .post, url: stack.baseURL + path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: huge))
                #expect(answer.status == 413, "\(path)")
                #expect(answer.header("Content-Type")?.hasPrefix(type) == true, "\(path): \(answer.header("Content-Type") ?? "")")
            }
            // 30 a minute with a burst of 10: 21 requests in a row overrun it unless they took
            // over 20 s.
            var statuses: [Int] = []
            for _ in 0..<20 {
                statuses.append(try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/login")).status)
            }
            #expect(statuses.contains(429), "\(statuses)")
        }
    }

    @Test("an export downloads from nginx itself (X-Accel-Redirect), as an attachment with the site's headers; its folder has no URL")
    func exportDownload() async throws {
        try await onThread {
            let url = try TestDatabase.fresh()
            let stack = try ServiceStack(databaseURL: url)
            defer { stack.shutdown() }
            let db = try PostgresConnection(conninfo: url)
            let user = try AdminUserStore.create(username: "exporter", password: "a long enough password", on: db)
            let session = try AdminSessionStore.create(userID: user.id, on: db)
            let name = "weather-20260101T000000Z-7.csv"
            let content = "city,temperature\nOslo,-3.5\n"
            try content.write(toFile: stack.directory + "/exports/" + name, atomically: true, encoding: .utf8)
            let rows = try db.query(
                "INSERT INTO weather_exports (format, state, file_name, row_count, byte_count, sha256, finished_at) VALUES ('csv', 'succeeded', \(name), 1, \(content.utf8.count), 'x', now()) RETURNING id"
            )
            let id = try #require(try rows.first?.decode(Int.self, "id"))
            let client = try HTTPClient()
            let cookie = [("Cookie", "weather_admin=\(session.secret)")]
            let download = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/exports/\(id)/download", headers: cookie))
            #expect(download.status == 200)
            #expect(download.bodyText == content)
            #expect(download.header("X-Accel-Redirect") == nil)
            #expect(download.header("Content-Disposition") == "attachment")
            #expect(download.header("X-Content-Type-Options") == "nosniff")
            #expect(download.header("Referrer-Policy") == "same-origin")
            // Without a session: the sign-in page, never the file.
            let anonymous = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/admin/exports/\(id)/download"))
            #expect(anonymous.status == 303 && anonymous.bodyText != content)
            // The internal location answers no one directly.
            let direct = try client.perform(HTTPRequest(method: .get, url: stack.baseURL + "/protected-exports/" + name, headers: cookie))
            #expect(direct.status == 404 && direct.bodyText != content)
        }
    }
}
