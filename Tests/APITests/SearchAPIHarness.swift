import Access
import AppSupport
import Foundation
import HTTPClient
import Postgres
import TestSupport

/// A stack (nginx + FCGIApp) on a migrated database of its own, with an API token, for the
/// weather, searches, statistics, alerts and schedules endpoint tests. Use it on one thread.
final class APIDataHarness {
    let url: String
    let stack: ServiceStack
    let database: PostgresConnection
    let client: HTTPClient
    let token: String

    /// An answer: status, parsed JSON body (or `.null`), raw response.
    struct Answer {
        var status: Int
        var json: JSONValue
        var response: HTTPResponse

        /// The error message, for 4xx/5xx answers.
        var message: String {
            if case .string(let text)? = json["error"]?["message"] { return text }
            return ""
        }
        var code: String {
            if case .string(let text)? = json["error"]?["code"] { return text }
            return ""
        }
    }

    /// Starts the stack; `syncSchedules` runs `TaskRunner migrate` (which writes the built-in
    /// schedules) on the database first.
    init(extraEnvironment: [String: String] = [:], syncSchedules: Bool = false) throws {
        url = try TestDatabase.fresh()
        if syncSchedules {
            let migrated = try taskRunner(["migrate"], databaseURL: url)
            guard migrated.status == 0 else { throw HarnessError("migrate failed: \(migrated.stderr)") }
        }
        database = try PostgresConnection(conninfo: url)
        token = try TokenStore.create(name: "api-data-tests", on: database).secret.text
        stack = try ServiceStack(databaseURL: url, extraEnvironment: extraEnvironment)
        client = try HTTPClient()
    }

    deinit {
        stack.shutdown()
        database.close()
    }

    /// Sends a request through nginx; with the token unless `authorized` is false.
    func call(_ method: HTTPMethod = .get, _ path: String, authorized: Bool = true, token: String? = nil) throws -> Answer {
        var headers: [(name: String, value: String)] = []
        if authorized { headers.append(("Authorization", "Bearer \(token ?? self.token)")) }
        let response = try client.perform(
            HTTPRequest(method: method, url: stack.baseURL + path, headers: headers, body: method == .post ? [] : nil, totalTimeout: .seconds(60)))
        let json = (try? JSONValue.parse(response.body)) ?? .null
        return Answer(status: response.status, json: json, response: response)
    }

    /// The ids of a list answer's items.
    static func ids(_ json: JSONValue) -> [Int] {
        guard case .array(let items)? = json["items"] else { return [] }
        return items.compactMap { if case .int(let id)? = $0["id"] { id } else { nil } }
    }

    /// `next_before` of a list answer, nil when null or absent.
    static func nextBefore(_ json: JSONValue) -> Int? {
        if case .int(let id)? = json["next_before"] { return id }
        return nil
    }

    /// Walks a list through every page of `limit` items; returns the ids in order and the pages.
    func walk(_ path: String, limit: Int) throws -> (ids: [Int], pages: Int) {
        var ids: [Int] = []
        var before: Int?
        var pages = 0
        let separator = path.contains("?") ? "&" : "?"
        while true {
            let answer = try call(.get, path + separator + "limit=\(limit)" + (before.map { "&before=\($0)" } ?? ""), authorized: false)
            guard answer.status == 200 else { throw HarnessError("\(path) answered \(answer.status): \(answer.response.bodyText)") }
            pages += 1
            let page = APIDataHarness.ids(answer.json)
            ids += page
            guard let next = APIDataHarness.nextBefore(answer.json) else { return (ids, pages) }
            guard next == page.last, pages < 1000 else { throw HarnessError("bad next_before \(next) after \(page)") }
            before = next
        }
    }
}
