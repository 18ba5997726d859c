import Access
import AppSupport
import Foundation
import Jobs
import Postgres
import TestSupport
@testable import Web

/// Drives the admin pages through a `WebApplication` without a socket (a `SignInHarness`), on a
/// database of its own, signed in as a user made for it (or not: `signedIn: false`). Lives on
/// one thread.
final class PagesHarness {
    /// The browser: application, context and connection.
    let browser: SignInHarness
    /// The session cookie's value and the session's CSRF token.
    let secret: String
    let csrf: String

    var url: String { browser.url }
    var app: WebApplication { browser.app }
    var context: RequestContext { browser.context }
    var db: PostgresConnection { browser.connection }

    /// The tasks the harness's application knows (names only: nothing runs them here).
    static let registry = TaskRegistry(
        ["test_task", "export_weather_data", "bulk_weather_update", "cleanup_old_searches", "generate_weather_statistics",
         "send_weather_alerts", "database_maintenance", "health_check", "async_weather_processing"].map { name in
            TaskDefinition(name: name, summary: "\(name) for the admin tests") { _ in [:] }
        })

    init() throws {
        browser = try SignInHarness(url: try TestDatabase.fresh(), services: WebServices(registry: PagesHarness.registry))
        (secret, csrf) = try browser.newSession(username: "pages-admin")
    }

    /// One request, with the session's cookie unless `signedIn` is false; `form` goes as
    /// `application/x-www-form-urlencoded`.
    func send(_ method: String, _ path: String, query: String = "", form: [String: String]? = nil, signedIn: Bool = true) -> WebResponse {
        browser.send(method, path, query: query, form: form, cookies: signedIn ? [AdminAuth.cookieName: secret] : [:])
    }

    func get(_ path: String, query: String = "", signedIn: Bool = true) -> WebResponse {
        send("GET", path, query: query, signedIn: signedIn)
    }

    /// A POST form carrying the session's CSRF token (or `csrf` instead, or none with `csrf: ""`).
    func post(_ path: String, _ fields: [String: String] = [:], csrf: String? = nil, signedIn: Bool = true) -> WebResponse {
        var form = fields
        let token = csrf ?? self.csrf
        if !token.isEmpty { form["csrf_token"] = token }
        return send("POST", path, form: form, signedIn: signedIn)
    }

    /// A page's HTML.
    static func html(_ response: WebResponse) -> String {
        SignInHarness.text(response)
    }

    /// Enqueues a job through the queue.
    @discardableResult
    func enqueue(_ task: String = "test_task", args: JSONValue = [:], queue: String = "default") throws -> Job {
        try JobQueue(registry: PagesHarness.registry).enqueueJob(EnqueueRequest(task: task, args: args, queue: queue), on: db).job
    }

    /// Puts job `id` into a final state, as a worker would leave it (test data only).
    func finish(_ id: Int, state: String, result: String? = nil, error: String? = nil, minutesAgo: Int = 0) throws {
        try db.execute(
            """
            UPDATE jobs SET state = \(state), attempts = 1, worker = 'host-a:1:x', started_at = now() - interval '2 minutes',
                finished_at = now() - \(minutesAgo) * interval '1 minute', result = \(result)::jsonb, error = \(error)
            WHERE id = \(id)
            """)
    }

    /// The count of rows `sql` selects as `n`.
    func count(_ query: PostgresQuery) throws -> Int {
        try db.query(query).first?.decode(Int.self, "n") ?? -1
    }
}
