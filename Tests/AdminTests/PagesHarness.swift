import Access
import AppSupport
import Foundation
import Jobs
import Postgres
import TestSupport
@testable import Web

/// Drives the admin pages through a `WebApplication` without a socket, on a database of its
/// own, signed in as a user made for it (or not: `signedIn: false`). Lives on one thread.
final class PagesHarness {
    let url: String
    let app: WebApplication
    let context: RequestContext
    let db: PostgresConnection
    let secret: String
    let csrf: String

    /// The tasks the harness's application knows (names only: nothing runs them here).
    static let registry = TaskRegistry(
        ["test_task", "export_weather_data", "bulk_weather_update", "cleanup_old_searches", "generate_weather_statistics",
         "send_weather_alerts", "database_maintenance", "health_check", "async_weather_processing"].map { name in
            TaskDefinition(name: name, summary: "\(name) for the admin tests") { _ in [:] }
        })

    init() throws {
        url = try TestDatabase.fresh()
        app = WebApplication(services: WebServices(registry: PagesHarness.registry))
        context = RequestContext(databaseURL: url)
        db = try PostgresConnection(conninfo: url, applicationName: "admin-pages-tests")
        let user = try AdminUserStore.create(username: "pages-admin", password: "a long enough password", on: db)
        (_, secret, csrf) = try AdminSessionStore.create(userID: user.id, on: db)
    }

    deinit { db.close() }

    /// One request; `form` goes as `application/x-www-form-urlencoded`.
    func send(_ method: String, _ path: String, query: String = "", form: [String: String]? = nil, signedIn: Bool = true) -> WebResponse {
        var headers: [String: String] = [:]
        if signedIn { headers["cookie"] = "\(AdminAuth.cookieName)=\(secret)" }
        var body: [UInt8] = []
        if let form {
            headers["content-type"] = "application/x-www-form-urlencoded"
            body = Array(PagesHarness.encode(form).utf8)
        }
        return app.respond(to: WebRequest(method: method, path: path, queryString: query, headers: headers, body: body), context: context)
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
        String(decoding: response.body, as: UTF8.self)
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

    static func encode(_ form: [String: String]) -> String {
        form.sorted { $0.key < $1.key }.map { escape($0.key) + "=" + escape($0.value) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }
}
