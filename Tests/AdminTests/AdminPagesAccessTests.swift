import Testing
import TestSupport
@testable import Web

/// Every admin page and action needs a session; every action the session's CSRF token.
@Suite("Admin pages: sign-in and CSRF")
struct AdminPagesAccessTests {
    static let pages = [
        "/admin/", "/admin/tasks", "/admin/tasks/new", "/admin/tasks/find", "/admin/tasks/1", "/admin/tasks/1/progress",
        "/admin/schedules", "/admin/schedules/health-check", "/admin/workers", "/admin/searches", "/admin/statistics",
        "/admin/alerts", "/admin/exports", "/admin/exports/1/download",
    ]
    static let actions = [
        "/admin/tasks/1/retry", "/admin/tasks/1/cancel", "/admin/tasks/new", "/admin/schedules/health-check/pause",
        "/admin/schedules/health-check/resume", "/admin/schedules/health-check/run", "/admin/exports",
    ]

    @Test("without a session every page and action sends the browser to sign in, coming back afterwards")
    func signInRequired() async throws {
        try await onThread {
            let harness = try PagesHarness()
            for path in Self.pages {
                let response = harness.get(path, signedIn: false)
                #expect(response.status == 303, "\(path)")
                #expect(response.header("Location") == "/admin/login?next=" + AdminError.queryEscaped(path), "\(path)")
            }
            let filtered = harness.get("/admin/tasks", query: "state=failed&task=test_task", signedIn: false)
            #expect(filtered.header("Location") == "/admin/login?next=/admin/tasks%3Fstate%3Dfailed%26task%3Dtest_task")
            for path in Self.actions {
                let response = harness.post(path, ["format": "csv"], signedIn: false)
                #expect(response.status == 303, "\(path)")
                #expect(response.header("Location")?.hasPrefix("/admin/login?next=") == true, "\(path)")
            }
            // A cookie that names no session is no better.
            let forged = harness.app.respond(
                to: WebRequest(method: "GET", path: "/admin/", headers: ["cookie": "\(AdminAuth.cookieName)=\(String(repeating: "A", count: 43))"]),
                context: harness.context)
            #expect(forged.status == 303)
        }
    }

    @Test("a form without the CSRF token, or with another, is refused (403) and changes nothing")
    func csrfRefused() async throws {
        try await onThread {
            let harness = try PagesHarness()
            try ScheduleStoreFixture.sync(harness)
            let failed = try harness.enqueue(args: ["n": 1])
            try harness.finish(failed.id, state: "failed", error: "boom")
            let queued = try harness.enqueue(args: ["n": 2])
            let jobsBefore = try harness.count("SELECT count(*)::bigint AS n FROM jobs")
            let attempts: [(String, [String: String])] = [
                ("/admin/tasks/\(failed.id)/retry", [:]), ("/admin/tasks/\(queued.id)/cancel", [:]),
                ("/admin/tasks/new", ["task": "test_task", "args": "{}"]), ("/admin/schedules/health-check/pause", [:]),
                ("/admin/schedules/health-check/run", [:]), ("/admin/exports", ["format": "csv"]),
            ]
            for (path, fields) in attempts {
                for token in ["", "not-the-token", harness.csrf + "x"] {
                    let response = harness.post(path, fields, csrf: token)
                    #expect(response.status == 403, "\(path) with \(token.isEmpty ? "no token" : token)")
                    #expect(PagesHarness.html(response).contains("did not come from this site"), "\(path)")
                }
            }
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs") == jobsBefore)
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM jobs WHERE id = \(queued.id) AND state = 'queued'") == 1)
            #expect(try harness.count("SELECT count(*)::bigint AS n FROM schedules WHERE paused") == 0)
        }
    }

    @Test("pages are HTML with the security headers and the navigation; the user's name is shown")
    func pageShape() async throws {
        try await onThread {
            let harness = try PagesHarness()
            let response = harness.get("/admin/")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(response.header("Cache-Control") == "no-store")
            let html = PagesHarness.html(response)
            #expect(html.contains("pages-admin"))
            #expect(html.contains(#"href="/admin/" aria-current="page""#))
            #expect(!html.contains("<script>"))
            #expect(!html.contains("style="))
        }
    }
}
